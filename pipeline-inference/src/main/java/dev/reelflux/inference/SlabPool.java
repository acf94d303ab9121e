package dev.reelflux.inference;

import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed number of {@link BatchSlab}s of one {@link SlabShape}, for one stream: two give double buffering (one slab
 * fills while the other is inferred), three let a slab wait in the worker's queue as well. The pool bounds the
 * stream's native memory to {@code capacity} slabs, allocated on first use and reused after.
 *
 * <p>When every slab is out, acquirers wait (never fail) until one is closed; waiters are served first come, first
 * served. Every acquired slab must be closed exactly once; {@link #outstanding()} proves it in tests. A slab not
 * closed is not a native leak (the garbage collector frees direct buffers) but it is lost to the pool. Thread-safe.
 */
public final class SlabPool {

    private final SlabShape shape;
    private final int capacity;
    private final Object lock = new Object();
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();
    private final ArrayDeque<SlabWaiter> waiters = new ArrayDeque<>();
    private int allocated;
    private final AtomicLong acquired = new AtomicLong();
    private final AtomicLong released = new AtomicLong();

    public SlabPool(SlabShape shape, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.shape = shape;
        this.capacity = capacity;
    }

    public SlabShape shape() {
        return shape;
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Emits a slab as soon as one is free, then completes. Requesting joins the queue of waiters; cancelling leaves
     * it, and a slab is never handed to a cancelled waiter. The slab is emitted on the thread that frees it (in a
     * pipeline often the inference worker's). Once emitted it is the subscriber's, even one that was cancelling
     * meanwhile: operators that drop such a value without a discard hook ({@code Mono.publishOn}, the lambda
     * subscriber of {@code subscribe(Consumer)}) lose it to the pool.
     */
    public Mono<BatchSlab> acquire() {
        return new SlabAcquireMono(this);
    }

    /**
     * Blocks the calling thread until a slab is free or {@code timeout} passes, for writers on a thread of their own
     * such as the decoder's. Waiting here is the stream's backpressure: the decoder stops while every slab is in
     * flight.
     *
     * @throws TimeoutException     when no slab came free in time
     * @throws InterruptedException when the thread is interrupted while waiting; no slab is taken
     */
    public BatchSlab acquire(Duration timeout) throws InterruptedException, TimeoutException {
        return new BlockingSlabWaiter(this).await(timeout);
    }

    /** Slabs handed out and not yet closed. */
    public long outstanding() {
        return acquired.get() - released.get();
    }

    /** Slabs handed out since the pool was created. */
    public long acquired() {
        return acquired.get();
    }

    /** Slabs closed since the pool was created. */
    public long released() {
        return released.get();
    }

    /** Offers {@code waiter} a slab now if one is free or may still be allocated; otherwise queues it. */
    void enqueue(SlabWaiter waiter) {
        ByteBuffer memory;
        boolean allocate = false;
        synchronized (lock) {
            memory = idle.poll();
            if (memory == null) {
                if (allocated == capacity) {
                    waiters.add(waiter);
                    return;
                }
                allocated++;
                allocate = true;
            }
        }
        if (allocate) {
            // Outside the lock: zeroing a slab of a hundred megabytes takes tens of milliseconds.
            memory = ByteBuffer.allocateDirect(shape.slabBytes()).order(ByteOrder.nativeOrder());
        }
        if (!waiter.offer(memory)) {
            handOff(memory);
        }
    }

    /** Forgets a waiter that gave up; a slab already on its way to it is refused by the waiter and handed on. */
    void dequeue(SlabWaiter waiter) {
        synchronized (lock) {
            waiters.remove(waiter);
        }
    }

    /** Called by a waiter that accepted {@code memory}: the lease it hands to its owner. */
    BatchSlab lease(ByteBuffer memory) {
        acquired.incrementAndGet();
        return new BatchSlab(shape, memory, this);
    }

    void release(ByteBuffer memory) {
        released.incrementAndGet();
        handOff(memory);
    }

    /** Gives {@code memory} to the first waiter that still wants it, or keeps it idle. */
    void handOff(ByteBuffer memory) {
        while (true) {
            SlabWaiter next;
            synchronized (lock) {
                next = waiters.poll();
                if (next == null) {
                    idle.push(memory);
                    return;
                }
            }
            // Outside the lock: a waiter's offer may run its subscriber's onNext.
            if (next.offer(memory)) {
                return;
            }
        }
    }
}
