package dev.reelflux.inference.internal;

import dev.reelflux.core.Releasable;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class FrameRouterTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void eachItemReachesItsOutletOnlyAndCompletionReachesEvery() {
        List<Owned> items = IntStream.range(0, 9).mapToObj(i -> new Owned(i, i % 3)).toList();
        FrameRouter<Owned> router = new FrameRouter<>(Flux.fromIterable(items), 3, Owned::route);

        List<List<Integer>> seen = Flux.merge(router.outlet(0).collectList(), router.outlet(1).collectList(),
                router.outlet(2).collectList()).map(list -> list.stream().map(Owned::id).toList())
                .collectList().block(WAIT);

        assertThat(seen).containsExactlyInAnyOrder(List.of(0, 3, 6), List.of(1, 4, 7), List.of(2, 5, 8));
        assertThat(items).noneMatch(Owned::closed);
    }

    @Test
    void anOutletWithoutDemandQueuesWhileTheOthersGoOn() {
        Sinks.Many<Owned> source = Sinks.many().unicast().onBackpressureBuffer();
        FrameRouter<Owned> router = new FrameRouter<>(source.asFlux(), 2, Owned::route);
        router.outlet(1).subscribe(Owned::close);

        StepVerifier.create(router.outlet(0), 0)
                .then(() -> IntStream.range(0, 6).forEach(i -> source.tryEmitNext(new Owned(i, i % 2))))
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(2)
                .expectNextMatches(item -> item.id() == 0)
                .expectNextMatches(item -> item.id() == 2)
                .then(source::tryEmitComplete)
                .thenRequest(1)
                .expectNextMatches(item -> item.id() == 4)
                .verifyComplete();
    }

    @Test
    void aCancelledOutletClosesWhatItHeldAndWhatComesForItAndTheLastCancelStopsUpstream() {
        Sinks.Many<Owned> source = Sinks.many().unicast().onBackpressureBuffer();
        AtomicBoolean upstreamCancelled = new AtomicBoolean();
        FrameRouter<Owned> router = new FrameRouter<>(source.asFlux().doOnCancel(() -> upstreamCancelled.set(true)),
                2, Owned::route);
        Owned queued = new Owned(0, 0);
        Owned later = new Owned(2, 0);
        Disposable other = router.outlet(1).subscribe(Owned::close);

        StepVerifier.create(router.outlet(0), 0)
                .then(() -> source.tryEmitNext(queued))
                .thenCancel()
                .verify(WAIT);
        source.tryEmitNext(later);
        assertThat(queued.closed()).isTrue();
        assertThat(later.closed()).isTrue();
        assertThat(upstreamCancelled).as("one outlet still wants items").isFalse();

        other.dispose();
        assertThat(upstreamCancelled).isTrue();
    }

    @Test
    void anItemForNoOutletIsClosedAndFailsEveryOutlet() {
        Owned stray = new Owned(0, 5);
        FrameRouter<Owned> router = new FrameRouter<>(Flux.just(stray), 1, Owned::route);

        StepVerifier.create(router.outlet(0)).expectError(IllegalStateException.class).verify(WAIT);
        assertThat(stray.closed()).isTrue();
    }

    /** An item that knows whether it was closed. */
    private record Owned(int id, int route, AtomicBoolean closedFlag) implements Releasable {
        Owned(int id, int route) {
            this(id, route, new AtomicBoolean());
        }

        boolean closed() {
            return closedFlag.get();
        }

        @Override
        public void close() {
            closedFlag.set(true);
        }
    }
}
