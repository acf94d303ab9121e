package dev.reelflux.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of equally sized direct buffers for {@link Chunk}s.
 *
 * <p>Buffers are allocated on demand and up to {@code maxIdle} of them are kept for reuse when released. A chunk that
 * is never closed is not a native leak (a direct {@code ByteBuffer} is freed by the garbage collector), but it shows
 * in {@link #outstanding()}, which tests use to prove every chunk was released.
 */
public final class BufferPool {

    /** Size of one pooled buffer: large enough for a whole socket read, small enough to keep buffering fine-grained. */
    public static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

    private static final BufferPool SHARED = new BufferPool(DEFAULT_BUFFER_SIZE, 256);

    private final int bufferSize;
    private final int maxIdle;
    private final ConcurrentLinkedQueue<ByteBuffer> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final AtomicLong outstanding = new AtomicLong();

    /**
     * @param bufferSize bytes per buffer
     * @param maxIdle how many released buffers are kept for reuse
     */
    public BufferPool(int bufferSize, int maxIdle) {
        if (bufferSize <= 0 || maxIdle < 0) {
            throw new IllegalArgumentException("bufferSize must be > 0 and maxIdle >= 0");
        }
        this.bufferSize = bufferSize;
        this.maxIdle = maxIdle;
    }

    /** The pool all sources use unless told otherwise. */
    public static BufferPool shared() {
        return SHARED;
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** Chunks handed out and not yet closed. */
    public long outstanding() {
        return outstanding.get();
    }

    /**
     * Copies {@code src}'s remaining bytes (at most {@link #bufferSize()}) into a pooled buffer and wraps them as a chunk
     * at {@code offset}; advances {@code src} by the bytes taken.
     */
    public Chunk copyOf(ByteBuffer src, long offset) {
        int n = Math.min(src.remaining(), bufferSize);
        ByteBuffer buffer = acquire(n);
        ByteBuffer slice = src.slice();
        slice.limit(n);
        buffer.put(slice).flip();
        src.position(src.position() + n);
        return wrap(buffer, offset);
    }

    /**
     * An empty pooled buffer (position 0, limit = capacity) for a writer that fills it itself; the caller owns it
     * until it hands it to {@link #wrap}.
     */
    ByteBuffer acquire() {
        return acquire(bufferSize);
    }

    /**
     * An empty buffer with room for {@code size} bytes (position 0, limit = {@code size}): a pooled one when
     * {@code size <= bufferSize()}, else one allocated for the occasion (and not pooled on release).
     */
    ByteBuffer acquire(int size) {
        ByteBuffer buffer = size <= bufferSize ? idle.poll() : null;
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(Math.max(size, bufferSize)).order(ByteOrder.nativeOrder());
        } else {
            idleCount.decrementAndGet();
            buffer.clear();
        }
        buffer.limit(size);
        outstanding.incrementAndGet();
        return buffer;
    }

    /** Wraps a buffer from {@link #acquire()}, filled and flipped, as a chunk; the chunk now owns it. */
    Chunk wrap(ByteBuffer filled, long offset) {
        return new Chunk(filled, offset, this);
    }

    void release(ByteBuffer buffer) {
        outstanding.decrementAndGet();
        if (buffer.capacity() != bufferSize) {
            return;
        }
        if (idleCount.incrementAndGet() <= maxIdle) {
            idle.offer(buffer);
        } else {
            idleCount.decrementAndGet();
        }
    }

    /** Gives back a buffer from {@link #acquire()} that was never wrapped (a reader failed before filling it). */
    void discard(ByteBuffer unwrapped) {
        release(unwrapped);
    }
}
