package dev.reelflux.core.internal;

import dev.reelflux.core.ByteSpan;

import java.util.AbstractList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * How a parallel read cuts a range into segments: lazy lists, each segment computed when asked for, so a huge range
 * costs nothing up front.
 *
 * <p>A reader consumes the bytes in order, so what matters is how soon each byte arrives in order, not only when the
 * last one does. Segments of one size started together all end together: nothing past the first segment's bytes
 * can be used before the whole round is in, and a decoder faster than one connection waits for a segment's time at
 * the start of every round. {@link #staggered} therefore opens with a ramp of growing segments (1, 2, ... n units
 * over n connections): they end one unit's time apart, each freeing its connection for the next segment, so from the
 * first unit on the bytes arrive in order at the rate of all connections together. It closes with the mirror ramp, so
 * that the staggered connections all finish at once instead of one after the other.
 */
public final class Segments extends AbstractList<ByteSpan> {

    private final long from;
    private final long length;
    private final int count;
    private final long totalUnits;
    /** Units before segment k, for k in [0, count]; unit boundaries are spread over the bytes as evenly as can be. */
    private final LongUnaryOperator unitsBefore;

    private Segments(long from, long length, int count, long totalUnits, LongUnaryOperator unitsBefore) {
        this.from = from;
        this.length = length;
        this.count = count;
        this.totalUnits = totalUnits;
        this.unitsBefore = unitsBefore;
    }

    /**
     * {@code [from, end)} over {@code n} connections: a ramp of n segments of 1 to n units, segments of n units (at
     * most about {@code maxSegment} bytes), and a ramp down of n - 1 to 1 units. When a unit would be shorter than
     * {@code minSegment}, the range is rather cut {@linkplain #even evenly} into whole rounds of n segments (fewer when
     * they would be shorter than {@code minSegment}).
     */
    public static List<ByteSpan> staggered(long from, long end, int n, long maxSegment, long minSegment) {
        long length = Math.max(0, end - from);
        long max = Math.max(maxSegment, minSegment);
        long full = Math.max(0, ceilDiv(length, max) - n);
        long totalUnits = Math.multiplyExact((long) n, n + full);
        if (n == 1 || length / totalUnits < minSegment) {
            long rounds = ceilDiv(length, max > Long.MAX_VALUE / n ? Long.MAX_VALUE : max * n);
            long pieces = Math.min(rounds * n, Math.max(1, length / minSegment));
            return even(from, end, ceilDiv(length, pieces));
        }
        long rampUp = (long) n * (n + 1) / 2;
        LongUnaryOperator unitsBefore = k -> {
            if (k <= n) {
                return k * (k + 1) / 2;
            }
            if (k <= n + full) {
                return rampUp + (k - n) * n;
            }
            long down = k - n - full;
            return rampUp + full * n + down * n - down * (down + 1) / 2;
        };
        return new Segments(from, length, Math.toIntExact(2L * n - 1 + full), totalUnits, unitsBefore);
    }

    /** {@code [from, end)} in the fewest segments of at most {@code maxSegment} bytes, all of one size to a byte. */
    public static List<ByteSpan> even(long from, long end, long maxSegment) {
        long length = Math.max(0, end - from);
        int count = Math.toIntExact(ceilDiv(length, Math.max(1, maxSegment)));
        return new Segments(from, length, count, count, k -> k);
    }

    @Override
    public ByteSpan get(int k) {
        if (k < 0 || k >= count) {
            throw new IndexOutOfBoundsException(k);
        }
        long start = boundary(k);
        return new ByteSpan(start, boundary(k + 1) - start);
    }

    @Override
    public int size() {
        return count;
    }

    /** Where segment k starts: its share of the length, rounded down, computed without overflow. */
    private long boundary(long k) {
        long units = unitsBefore.applyAsLong(k);
        long whole = length / totalUnits;
        long rest = length % totalUnits;
        return from + whole * units + Math.multiplyExact(rest, units) / totalUnits;
    }

    private static long ceilDiv(long a, long b) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }
}
