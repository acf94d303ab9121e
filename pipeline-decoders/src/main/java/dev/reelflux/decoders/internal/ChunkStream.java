package dev.reelflux.decoders.internal;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.Chunk;
import reactor.core.Exceptions;
import reactor.util.context.Context;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * The source as a sequential byte stream with a position, for the AVIO callbacks. Used on the decode thread only.
 *
 * <p>It holds one {@link ChunkSubscriber} (the current read) and the chunk being consumed. A jump ({@link #open})
 * cancels the current read, closes its chunks and starts a new ranged read; a short move ({@link #skipTo}) is served
 * from the bytes already held or arriving, with no new read.
 */
final class ChunkStream implements AutoCloseable {

    private final ByteSource source;
    private final int prefetch;
    private final StopSignal signal;
    private final Counters counters;
    private final Context context;
    private BiConsumer<Long, ByteBuffer> inspector = (offset, bytes) -> { };
    private ChunkSubscriber read;
    private Chunk current;
    private long currentOffset;
    private int currentBase;
    private long position;
    private long size = ByteSource.UNKNOWN_SIZE;

    ChunkStream(ByteSource source, int prefetch, StopSignal signal, Counters counters, Context context) {
        this.source = source;
        this.prefetch = prefetch;
        this.signal = signal;
        this.counters = counters;
        this.context = context;
    }

    /**
     * Shows each chunk to {@code inspector} too (its offset and a view of its bytes) as it is taken, in order; an
     * inspector may throw to fail the read.
     */
    void inspectWith(BiConsumer<Long, ByteBuffer> inspector) {
        this.inspector = this.inspector.andThen(inspector);
    }

    /** The source's size, once known: reads are not started past it. */
    void size(long size) {
        this.size = size;
    }

    /**
     * Where the source ends: its size when known, else the position once the read reached its end, else -1.
     */
    long knownEnd() {
        if (size >= 0) {
            return size;
        }
        return read == null || (read.finished() && read.error() == null && !hasCurrentBytes() && read.isEmpty())
                ? position : -1;
    }

    /** Offset of the next byte {@link #read} returns. */
    long position() {
        return position;
    }

    /** Drops the current read and reads from {@code offset} to the end. Past a known end nothing is read. */
    void open(long offset) {
        closeRead();
        position = offset;
        if (size >= 0 && offset >= size) {
            return;
        }
        read = new ChunkSubscriber(prefetch, signal, counters, context);
        source.read(offset, ByteSource.TO_END).subscribe(read);
    }

    /**
     * Copies bytes into {@code dst}: waits for the first one, then takes what has arrived without waiting more.
     *
     * @return bytes copied, or -1 at the end of the source
     * @throws Stopped when the decode is stopped while waiting
     * @throws RuntimeException the source's error (checked ones wrapped by {@link Exceptions#propagate})
     */
    int read(ByteBuffer dst) {
        if (!dst.hasRemaining()) {
            return 0;
        }
        int copied = 0;
        while (dst.hasRemaining()) {
            if (!hasCurrentBytes() && !advance(copied == 0)) {
                break;
            }
            ByteBuffer data = current.data();
            int n = Math.min(dst.remaining(), data.remaining());
            ByteBuffer slice = data.slice();
            slice.limit(n);
            dst.put(slice);
            data.position(data.position() + n);
            position += n;
            copied += n;
        }
        return copied == 0 ? -1 : copied;
    }

    /**
     * Moves to {@code target} without a new read when it lies in the chunk being consumed or at most {@code maxAhead}
     * bytes ahead (bytes in between are dropped as they arrive).
     *
     * @return false when the move needs a new read
     */
    boolean skipTo(long target, long maxAhead) {
        if (current != null && target >= currentOffset && target <= position) {
            current.data().position(currentBase + (int) (target - currentOffset));
            position = target;
            return true;
        }
        if (target < position || target - position > maxAhead) {
            return false;
        }
        while (position < target) {
            if (!hasCurrentBytes() && !advance(true)) {
                position = target;
                return true;
            }
            ByteBuffer data = current.data();
            int n = (int) Math.min(target - position, data.remaining());
            data.position(data.position() + n);
            position += n;
        }
        return true;
    }

    private boolean hasCurrentBytes() {
        return current != null && current.data().hasRemaining();
    }

    /** Makes the next chunk current; false at the end of the read, or when none is ready and {@code wait} is false. */
    private boolean advance(boolean wait) {
        Chunk next = take(wait);
        if (next == null) {
            return false;
        }
        if (current != null) {
            current.close();
        }
        current = next;
        currentOffset = next.offset();
        currentBase = next.data().position();
        inspector.accept(currentOffset, next.data().duplicate());
        return true;
    }

    private Chunk take(boolean wait) {
        if (read == null) {
            return null;
        }
        for (;;) {
            boolean finished = read.finished();
            Chunk chunk = read.poll();
            if (chunk != null) {
                return chunk;
            }
            if (finished) {
                if (read.error() != null) {
                    throw Exceptions.propagate(read.error());
                }
                return null;
            }
            if (!wait) {
                return null;
            }
            signal.await();
        }
    }

    private void closeRead() {
        if (read != null) {
            read.cancel();
            read = null;
        }
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public void close() {
        closeRead();
    }
}
