package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.FrameAllocator;
import dev.reelflux.decoders.FrameFormat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link FrameAllocator#pooled()}: direct buffers recycled by exact size. A stream emits frames of one size, so one
 * queue per size is all the matching there is; a few idle buffers per size bound what an idle process holds.
 */
public final class PooledFrameAllocator implements FrameAllocator {

    public static final PooledFrameAllocator SHARED = new PooledFrameAllocator(8);

    private final int maxIdlePerSize;
    private final Map<Integer, Idle> idle = new ConcurrentHashMap<>();
    private final AtomicLong outstanding = new AtomicLong();

    public PooledFrameAllocator(int maxIdlePerSize) {
        this.maxIdlePerSize = maxIdlePerSize;
    }

    /** Regions handed out and not yet closed; tests use it to prove every frame was released. */
    public long outstanding() {
        return outstanding.get();
    }

    @Override
    public Region allocate(FrameFormat format, int bytes) {
        Idle queue = idle.computeIfAbsent(bytes, size -> new Idle());
        ByteBuffer buffer = queue.buffers.poll();
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        } else {
            queue.count.decrementAndGet();
            buffer.clear();
        }
        outstanding.incrementAndGet();
        return new PooledRegion(buffer, queue);
    }

    private static final class Idle {
        final ConcurrentLinkedQueue<ByteBuffer> buffers = new ConcurrentLinkedQueue<>();
        final AtomicInteger count = new AtomicInteger();
    }

    private final class PooledRegion implements Region {
        private final ByteBuffer buffer;
        private final Idle home;
        private final AtomicBoolean closed = new AtomicBoolean();

        PooledRegion(ByteBuffer buffer, Idle home) {
            this.buffer = buffer;
            this.home = home;
        }

        @Override
        public ByteBuffer buffer() {
            return buffer;
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            outstanding.decrementAndGet();
            if (home.count.incrementAndGet() <= maxIdlePerSize) {
                home.buffers.offer(buffer);
            } else {
                home.count.decrementAndGet();
            }
        }
    }
}
