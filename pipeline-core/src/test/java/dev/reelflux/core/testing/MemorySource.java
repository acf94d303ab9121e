package dev.reelflux.core.testing;

import dev.reelflux.core.BufferPool;
import dev.reelflux.core.ByteSource;
import dev.reelflux.core.Chunk;
import dev.reelflux.core.RangeNotSupportedException;
import dev.reelflux.core.SourceException;
import dev.reelflux.core.SourceInfo;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ByteSource} over a byte array, shaped like a network source, for tests.
 *
 * <p>Configurable (each {@code with*} returns a new source with fresh counters): fixed or seeded random chunk sizes,
 * range support, whether the size is known, a delay before each chunk, and a failure after some bytes. It counts what
 * it delivers ({@link #bytesDelivered()}, {@link #readOffsets()}) so tests can assert "fetched at most 1.1 x the
 * file" or "no second full download", and every chunk comes from its own {@link BufferPool}, so
 * {@link #outstandingChunks()} proves each chunk was closed.
 *
 * <p>Without a delay, chunks are produced on the thread that requests them, as soon as requested (so a consumer's
 * {@code request} may see {@code onNext} before it returns); with a delay they arrive on Reactor's parallel scheduler.
 * Backpressure is exact: one chunk per requested item.
 */
public final class MemorySource implements ByteSource {

    private final byte[] data;
    private final int minChunk;
    private final int maxChunk;
    private final long seed;
    private final boolean ranges;
    private final boolean sizeKnown;
    private final Duration delay;
    private final long failAfter;
    private final URI uri;
    private final BufferPool pool;
    private final AtomicLong delivered = new AtomicLong();
    private final List<Long> reads = new CopyOnWriteArrayList<>();

    private MemorySource(byte[] data, int minChunk, int maxChunk, long seed, boolean ranges, boolean sizeKnown,
                         Duration delay, long failAfter, URI uri) {
        if (minChunk < 1 || maxChunk < minChunk) {
            throw new IllegalArgumentException("chunk sizes must satisfy 1 <= min <= max: " + minChunk + ", "
                    + maxChunk);
        }
        this.data = data;
        this.minChunk = minChunk;
        this.maxChunk = maxChunk;
        this.seed = seed;
        this.ranges = ranges;
        this.sizeKnown = sizeKnown;
        this.delay = delay;
        this.failAfter = failAfter;
        this.uri = uri;
        this.pool = new BufferPool(maxChunk, 8);
    }

    /** A source of {@code data} in 64 KB chunks, with ranges and a known size, no delay. */
    public static MemorySource of(byte[] data) {
        return new MemorySource(data, BufferPool.DEFAULT_BUFFER_SIZE, BufferPool.DEFAULT_BUFFER_SIZE, 0, true, true,
                Duration.ZERO, -1, URI.create("memory:/" + data.length + "-bytes"));
    }

    /** Every chunk {@code size} bytes (the last may be shorter). */
    public MemorySource withChunkSize(int size) {
        return new MemorySource(data, size, size, seed, ranges, sizeKnown, delay, failAfter, uri);
    }

    /**
     * Chunk sizes drawn from {@code seed} between {@code min} and {@code max}, log-uniformly (as many chunks under 1 KB
     * as between 1 KB and 1 MB for 1 byte to 1 MB), and the same sizes on every read at the same offset.
     */
    public MemorySource withRandomChunks(int min, int max, long seed) {
        return new MemorySource(data, min, max, seed, ranges, sizeKnown, delay, failAfter, uri);
    }

    /** Whether a read may start past offset 0; without, such a read fails with {@link RangeNotSupportedException}. */
    public MemorySource withRanges(boolean ranges) {
        return new MemorySource(data, minChunk, maxChunk, seed, ranges, sizeKnown, delay, failAfter, uri);
    }

    /** Whether {@link #info()} tells the size. */
    public MemorySource withSizeKnown(boolean sizeKnown) {
        return new MemorySource(data, minChunk, maxChunk, seed, ranges, sizeKnown, delay, failAfter, uri);
    }

    /** A pause before each chunk. */
    public MemorySource withChunkDelay(Duration delay) {
        return new MemorySource(data, minChunk, maxChunk, seed, ranges, sizeKnown, delay, failAfter, uri);
    }

    /**
     * Reads fail with a {@link SourceException} ("connection reset") once they reach byte {@code offset} of the data,
     * after delivering the bytes before it.
     */
    public MemorySource withFailureAt(long offset) {
        return new MemorySource(data, minChunk, maxChunk, seed, ranges, sizeKnown, delay, offset, uri);
    }

    public MemorySource withUri(URI uri) {
        return new MemorySource(data, minChunk, maxChunk, seed, ranges, sizeKnown, delay, failAfter, uri);
    }

    /** Bytes emitted so far, over all reads. */
    public long bytesDelivered() {
        return delivered.get();
    }

    /** The offset of each read started, in order. */
    public List<Long> readOffsets() {
        return List.copyOf(reads);
    }

    /** Chunks emitted and not yet closed. */
    public long outstandingChunks() {
        return pool.outstanding();
    }

    public int size() {
        return data.length;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public Mono<SourceInfo> info() {
        return Mono.just(new SourceInfo(sizeKnown ? data.length : UNKNOWN_SIZE, ranges, null));
    }

    @Override
    public Flux<Chunk> read(long offset, long length) {
        return Flux.defer(() -> {
            if (offset < 0 || (length < 0 && length != TO_END)) {
                return Flux.error(new IllegalArgumentException("offset " + offset + ", length " + length));
            }
            if (offset > 0 && !ranges) {
                return Flux.error(new RangeNotSupportedException("memory", uri, "read at " + offset
                        + " but the source serves no ranges", null));
            }
            reads.add(offset);
            long end = length == TO_END ? data.length : Math.min(data.length, offset + length);
            Random sizes = new Random(seed ^ offset);
            Flux<Chunk> chunks = Flux.<Chunk, Long>generate(() -> offset, (position, sink) -> {
                if (failAfter >= 0 && position >= failAfter) {
                    sink.error(new SourceException("memory", uri, "connection reset at byte " + position, null));
                    return position;
                }
                if (position >= end) {
                    sink.complete();
                    return position;
                }
                long stop = failAfter >= 0 && failAfter > position ? Math.min(end, failAfter) : end;
                int n = (int) Math.min(nextSize(sizes), stop - position);
                delivered.addAndGet(n);
                sink.next(pool.copyOf(ByteBuffer.wrap(data, position.intValue(), n), position));
                return position + n;
            });
            return delay.isZero() ? chunks : chunks.delayElements(delay);
        }).doOnDiscard(Chunk.class, Chunk::close);
    }

    private int nextSize(Random sizes) {
        if (minChunk == maxChunk) {
            return minChunk;
        }
        double log = Math.log(minChunk) + sizes.nextDouble() * (Math.log(maxChunk) - Math.log(minChunk));
        return (int) Math.max(minChunk, Math.min(maxChunk, Math.round(Math.exp(log))));
    }
}
