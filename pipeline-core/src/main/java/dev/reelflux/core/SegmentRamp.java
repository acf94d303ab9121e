package dev.reelflux.core;

import dev.reelflux.core.internal.Segments;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How an HLS stream's segments are cut into reads over n connections. The first segment, which the first frame waits
 * on, is cut as {@link ParallelSource} cuts a file: a first part of one unit ({@code max / n}), then the rest spread
 * over all connections. After it, parts grow by one unit per read up to {@code max}, each cut where its segment ends:
 * parts started together end one unit's time apart, each freeing its connection for a full part, so the bytes go on
 * arriving in order at the rate of all connections together (the ramp {@code Segments.staggered} opens a file with).
 * Whole segments started together would all end together, and a reader that needs them in order would wait for the
 * whole round. The last segments of a VOD stream are cut in parts of one unit ({@link #tail}): big parts started one
 * after the other end one after the other, and the last connection would still be reading a whole part while the
 * others sat idle.
 *
 * <p>One per read of a stream; its parts are planned in order, one segment after the other.
 */
final class SegmentRamp implements ParallelSource.Cut {

    private final long unit;
    private final long max;
    private final int connections;
    /** Parts planned so far; the first segment's rest is cut while only its first part is. */
    private final AtomicLong planned = new AtomicLong();
    private volatile boolean whole;

    SegmentRamp(int connections, long max) {
        this.connections = connections;
        this.unit = Math.max(1, max / connections);
        this.max = max;
    }

    /**
     * After the ramp, twice a part: segments are mostly of one size, and one a little longer than a part would
     * otherwise leave a tail of a few bytes to a request of its own, a round trip that holds a connection's turn.
     * The whole segment once the server has shown it ignores ranges.
     */
    @Override
    public long first() {
        if (whole) {
            return Long.MAX_VALUE;
        }
        long size = next();
        return size == max ? 2 * max : size;
    }

    /**
     * The first segment's rest over all connections; after it, parts as the ramp has them, the last one taking in a
     * remainder shorter than a unit.
     */
    @Override
    public List<ByteSpan> rest(long from, long end) {
        if (planned.get() == 1) {
            return Segments.staggered(from, end, connections, max, ParallelSource.MIN_SEGMENT);
        }
        List<ByteSpan> parts = new ArrayList<>();
        for (long at = from; at < end; ) {
            long size = next();
            if (end - at - size < unit) {
                size = end - at;
            }
            parts.add(new ByteSpan(at, size));
            at += size;
        }
        return parts;
    }

    /**
     * The cut of a segment at the end of the stream: parts of one unit, so that the connections freed one after the
     * other at the end of the ramp share the last bytes and end together.
     */
    ParallelSource.Cut tail() {
        return new ParallelSource.Cut() {
            @Override
            public long first() {
                return whole ? Long.MAX_VALUE : unit;
            }

            @Override
            public List<ByteSpan> rest(long from, long end) {
                return Segments.even(from, end, unit);
            }

            @Override
            public void rangesRefused() {
                SegmentRamp.this.rangesRefused();
            }
        };
    }

    /**
     * A server that ignores ranges answers a part with the whole segment, which is cut short and then sent again for
     * the rest: from then on each segment is one read.
     */
    @Override
    public void rangesRefused() {
        whole = true;
    }

    private long next() {
        long k = planned.incrementAndGet();
        return k >= max / unit ? max : unit * k;
    }
}
