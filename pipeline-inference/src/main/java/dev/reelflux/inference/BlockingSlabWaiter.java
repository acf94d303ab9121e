package dev.reelflux.inference;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/** {@link SlabPool#acquire(Duration)}: parks the calling thread until the pool offers memory or time runs out. */
final class BlockingSlabWaiter implements SlabWaiter {

    private static final Object GAVE_UP = new Object();

    private final SlabPool pool;
    private final CountDownLatch offered = new CountDownLatch(1);
    /** null while waiting, then either the memory offered or {@link #GAVE_UP}, whichever comes first. */
    private final AtomicReference<Object> outcome = new AtomicReference<>();

    BlockingSlabWaiter(SlabPool pool) {
        this.pool = pool;
    }

    @Override
    public boolean offer(ByteBuffer memory) {
        if (!outcome.compareAndSet(null, memory)) {
            return false;
        }
        offered.countDown();
        return true;
    }

    BatchSlab await(Duration timeout) throws InterruptedException, TimeoutException {
        pool.enqueue(this);
        boolean interrupted = false;
        try {
            offered.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (outcome.compareAndSet(null, GAVE_UP)) {
            pool.dequeue(this);
            if (interrupted) {
                throw new InterruptedException();
            }
            throw new TimeoutException("no slab came free within " + timeout);
        }
        ByteBuffer memory = (ByteBuffer) outcome.get();
        if (interrupted) {
            // The offer won the race with the interrupt: pass the memory on rather than lease it to a caller that left.
            pool.handOff(memory);
            throw new InterruptedException();
        }
        return pool.lease(memory);
    }
}
