package dev.reelflux.core;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class GuardsTest {

    private static final Duration IDLE = Duration.ofSeconds(1);

    @Test
    void discardsWhatArrivesAfterACancelSoThatPooledItemsAreReleased() {
        // A source that keeps emitting for a moment after a cancel, as a socket read already under way does.
        TestPublisher<Integer> source = TestPublisher.createNoncompliant(TestPublisher.Violation.DEFER_CANCELLATION,
                TestPublisher.Violation.REQUEST_OVERFLOW);
        List<Object> discarded = new CopyOnWriteArrayList<>();

        StepVerifier.create(source.flux()
                        .transform(Guards.idleTimeout(IDLE, TimeoutException::new))
                        .doOnDiscard(Integer.class, discarded::add), 1)
                .then(() -> source.next(1))
                .expectNext(1)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        source.next(2);

        assertThat(discarded).containsExactly(2);
    }

    @Test
    void tripsWhenDemandIsOutstandingAndNothingArrives() {
        StepVerifier.withVirtualTime(() -> Flux.<Integer>never()
                        .transform(Guards.idleTimeout(IDLE, TimeoutException::new, VirtualTimeScheduler.get())))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(900))
                .expectNoEvent(Duration.ofMillis(50))
                .thenAwait(Duration.ofMillis(400))
                .expectError(TimeoutException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void neverTripsWhileTheSubscriberIsNotAsking() {
        StepVerifier.withVirtualTime(() -> Flux.range(0, 3)
                        .transform(Guards.idleTimeout(IDLE, TimeoutException::new, VirtualTimeScheduler.get())), 0)
                .expectSubscription()
                .thenAwait(Duration.ofMinutes(5))
                .thenRequest(3)
                .expectNext(0, 1, 2)
                .verifyComplete();
    }

    @Test
    void restartsTheClockWhenDemandReturns() {
        Sinks.Many<Integer> sink = Sinks.many().unicast().onBackpressureBuffer();
        StepVerifier.withVirtualTime(() -> sink.asFlux()
                        .transform(Guards.idleTimeout(IDLE, TimeoutException::new, VirtualTimeScheduler.get())), 1)
                .expectSubscription()
                .then(() -> sink.tryEmitNext(1))
                .expectNext(1)
                .thenAwait(Duration.ofMinutes(1))
                .thenRequest(1)
                .thenAwait(Duration.ofMillis(700))
                .then(() -> sink.tryEmitNext(2))
                .expectNext(2)
                .thenRequest(1)
                .thenAwait(Duration.ofMillis(700))
                .then(() -> sink.tryEmitNext(3))
                .expectNext(3)
                .then(sink::tryEmitComplete)
                .verifyComplete();
    }

    @Test
    void cancelsUpstreamWhenItTrips() {
        Sinks.Many<Integer> sink = Sinks.many().unicast().onBackpressureBuffer();
        StepVerifier.withVirtualTime(() -> sink.asFlux()
                        .transform(Guards.idleTimeout(IDLE, TimeoutException::new, VirtualTimeScheduler.get())))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(2))
                .expectError(TimeoutException.class)
                .verify(Duration.ofSeconds(5));
        org.assertj.core.api.Assertions.assertThat(sink.currentSubscriberCount()).isZero();
    }

    @Test
    void rejectsANonPositiveIdleTime() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Guards.idleTimeout(Duration.ZERO, TimeoutException::new))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
