package dev.reelflux.core;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A run of bytes read from a {@link ByteSource}, held in a pooled direct buffer that reelflux owns.
 *
 * <p>The subscriber that receives a chunk owns it and must {@link #close()} it once the bytes are consumed; closing
 * returns the buffer to its {@link BufferPool}. {@code close()} is idempotent. After {@code close()} the buffer must
 * not be touched: it may already hold another chunk's bytes.
 */
public final class Chunk implements Releasable {

    private final ByteBuffer data;
    private final long offset;
    private final BufferPool pool;
    private final boolean startsStream;
    private final AtomicBoolean closed = new AtomicBoolean();

    Chunk(ByteBuffer data, long offset, BufferPool pool) {
        this(data, offset, pool, false);
    }

    private Chunk(ByteBuffer data, long offset, BufferPool pool, boolean startsStream) {
        this.data = data;
        this.offset = offset;
        this.pool = pool;
        this.startsStream = startsStream;
    }

    /**
     * The bytes, from {@code position()} to {@code limit()}. A direct buffer in native byte order; reading it moves its
     * position, which is how a consumer may take a chunk bit by bit.
     */
    public ByteBuffer data() {
        return data;
    }

    /** Position of the first byte of {@link #data()} in the source. */
    public long offset() {
        return offset;
    }

    /**
     * Whether a stream of its own starts with this chunk's bytes, which a demuxer must read afresh: an HLS stream's
     * new fragmented-MP4 init section after a discontinuity. False for the first chunk of a source and almost every
     * other.
     */
    public boolean startsStream() {
        return startsStream;
    }

    /** Number of bytes not yet consumed from {@link #data()}. */
    public int remaining() {
        return data.remaining();
    }

    /** Copies the unread bytes to a new array (tests and small payloads; the hot path reads {@link #data()}). */
    public byte[] toArray() {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }

    /**
     * This chunk's bytes as a chunk at {@code newOffset} of another stream, which now owns the buffer: this one counts
     * as closed and gives nothing back to the pool.
     */
    Chunk movedTo(long newOffset) {
        return moved(newOffset, startsStream);
    }

    /** This chunk's bytes as the first of a {@linkplain #startsStream stream of their own}; this one counts as closed. */
    Chunk startingStream() {
        return moved(offset, true);
    }

    private Chunk moved(long newOffset, boolean startsNewStream) {
        if (!closed.compareAndSet(false, true)) {
            throw new IllegalStateException("moving a closed chunk");
        }
        return new Chunk(data, newOffset, pool, startsNewStream);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pool.release(data);
        }
    }

    @Override
    public String toString() {
        return "Chunk[offset=" + offset + ", bytes=" + data.remaining() + (closed.get() ? ", closed]" : "]");
    }
}
