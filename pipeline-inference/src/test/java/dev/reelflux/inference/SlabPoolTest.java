package dev.reelflux.inference;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlabPoolTest {

    private static final SlabShape SHAPE = new SlabShape(4, 8, 8);
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void slotsAreNativeOrderViewsOfOneBufferInSlotOrder() throws Exception {
        SlabPool pool = new SlabPool(SHAPE, 1);
        try (BatchSlab slab = pool.acquire(WAIT)) {
            FloatBuffer slot2 = slab.slotFloats(2);
            assertThat(slot2.capacity()).isEqualTo(3 * 8 * 8);
            slot2.put(5, 42f);

            ByteBuffer batch = slab.slots(3);
            assertThat(batch.isDirect()).isTrue();
            assertThat(batch.order()).isEqualTo(ByteOrder.nativeOrder());
            assertThat(batch.remaining()).isEqualTo(3 * SHAPE.slotBytes());
            assertThat(batch.getFloat(2 * SHAPE.slotBytes() + 5 * Float.BYTES)).isEqualTo(42f);
            assertThat(slab.slot(3).order()).isEqualTo(ByteOrder.nativeOrder());
        }
    }

    @Test
    void handsOutAtMostCapacityAndTheNextAcquirerWaitsForAClose() throws Exception {
        SlabPool pool = new SlabPool(SHAPE, 2);
        BatchSlab first = pool.acquire(WAIT);
        BatchSlab second = pool.acquire(WAIT);

        StepVerifier.create(pool.acquire())
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .then(first::close)
                .assertNext(slab -> assertThat(slab).isNotSameAs(first))
                .verifyComplete();
        assertThat(pool.outstanding()).isEqualTo(2);
        second.close();
    }

    @Test
    void closingTwiceReturnsTheSlabOnce() throws Exception {
        SlabPool pool = new SlabPool(SHAPE, 1);
        BatchSlab slab = pool.acquire(WAIT);
        slab.close();
        slab.close();

        assertThat(pool.released()).isEqualTo(1);
        assertThat(pool.outstanding()).isZero();
        assertThatThrownBy(() -> slab.slot(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStaleLeaseCannotReleaseTheMemoryItsSuccessorHolds() throws Exception {
        SlabPool pool = new SlabPool(SHAPE, 1);
        BatchSlab stale = pool.acquire(WAIT);
        stale.close();
        BatchSlab current = pool.acquire(WAIT);

        stale.close();

        assertThat(pool.outstanding()).isEqualTo(1);
        current.close();
    }

    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        SlabPool pool = new SlabPool(SHAPE, 1);
        BatchSlab held = pool.acquire(WAIT);
        List<String> served = new CopyOnWriteArrayList<>();
        pool.acquire().subscribe(slab -> served.add("first"));
        pool.acquire().subscribe(slab -> served.add("second"));

        held.close();

        assertThat(served).containsExactly("first");
    }

    @Test
    void aCancelledWaiterNeverGetsASlabAndTheNextWaiterDoes() throws Exception {
        SlabPool pool = new SlabPool(SHAPE, 1);
        BatchSlab held = pool.acquire(WAIT);
        AtomicReference<BatchSlab> cancelledGot = new AtomicReference<>();
        Disposable cancelled = pool.acquire().subscribe(cancelledGot::set);
        AtomicReference<BatchSlab> nextGot = new AtomicReference<>();
        pool.acquire().subscribe(nextGot::set);

        cancelled.dispose();
        held.close();

        assertThat(cancelledGot).hasValue(null);
        assertThat(nextGot.get()).isNotNull();
        nextGot.get().close();
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void blockingAcquireTimesOutWithoutTakingASlab() throws Exception {
        SlabPool pool = new SlabPool(SHAPE, 1);
        BatchSlab held = pool.acquire(WAIT);

        assertThatThrownBy(() -> pool.acquire(Duration.ofMillis(20))).isInstanceOf(TimeoutException.class);

        held.close();
        assertThat(pool.outstanding()).isZero();
        pool.acquire(Duration.ZERO).close();
    }

    @Test
    void blockingAcquireWakesWhenAnotherThreadCloses() throws Exception {
        SlabPool pool = new SlabPool(SHAPE, 1);
        BatchSlab held = pool.acquire(WAIT);
        Schedulers.boundedElastic().schedule(held::close, 30, TimeUnit.MILLISECONDS);

        try (BatchSlab slab = pool.acquire(WAIT)) {
            assertThat(slab.shape()).isEqualTo(SHAPE);
        }
    }

    @Test
    void handOffsRacingCancelsLoseNoSlab() throws Exception {
        SlabPool pool = new SlabPool(SHAPE, 2);
        ExecutorService others = Executors.newFixedThreadPool(3);
        try {
            for (int i = 0; i < 3_000; i++) {
                // Unlike subscribe(Consumer), a BaseSubscriber still takes a slab that arrives while it cancels.
                BaseSubscriber<BatchSlab> waiter = new BaseSubscriber<>() {
                    @Override
                    protected void hookOnNext(BatchSlab slab) {
                        others.execute(slab::close);
                    }
                };
                pool.acquire().subscribe(waiter);
                if (i % 3 == 0) {
                    others.execute(waiter::dispose);
                }
            }
            // Both slabs at once, at the end of the line: only if no hand-off lost one to a cancelled waiter.
            try (BatchSlab first = pool.acquire(WAIT); BatchSlab second = pool.acquire(WAIT)) {
                assertThat(first).isNotSameAs(second);
            }
        } finally {
            others.shutdown();
            assertThat(others.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(pool.outstanding()).isZero();
        assertThat(pool.acquired()).isEqualTo(pool.released());
    }
}
