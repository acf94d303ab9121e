package dev.reelflux.core.internal;

import dev.reelflux.core.ByteSpan;

import java.util.ArrayList;
import java.util.List;

/**
 * How a parallel read cuts a range into segments.
 *
 * <p>A reader consumes the bytes in order, so what matters is how soon each byte arrives in order, not only when the
 * last one does. Segments of one size started together all end together: nothing past the first segment's bytes
 * can be used before the whole round is in, and a decoder faster than one connection waits for a segment's time at
 * the start of every round. {@link #staggered} therefore opens with a ramp of growing segments (1, 2, ... n units
 * over n connections): they end one unit's time apart, each freeing its connection for the next segment, so from the
 * first unit on the bytes arrive in order at the rate of all connections together. It closes with the mirror ramp, so
 * that the staggered connections all finish at once instead of one after the other.
 */
public final class Segments {

    private Segments() {
    }

    /**
     * {@code [from, end)} as a ramp of {@code n} segments of 1 to n units, segments of n units (at most
     * {@code maxSegment} bytes), and a ramp down of n - 1 to 1 units. When a unit would be shorter than
     * {@code minSegment}, the range is rather cut into equal segments in whole rounds of {@code n}.
     */
    public static List<ByteSpan> staggered(long from, long end, int n, long maxSegment, long minSegment) {
        long length = end - from;
        long full = Math.max(0, ceilDiv(length, maxSegment) - n);
        // The ramps add up to n full segments: n units each, n + full of them in all.
        long unit = length / (n * (n + full));
        if (n == 1 || unit < minSegment) {
            long rounds = ceilDiv(length, maxSegment * n);
            return even(from, end, Math.max(minSegment, ceilDiv(length, rounds * n)));
        }
        List<Long> sizes = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            sizes.add(unit * i);
        }
        for (long k = 0; k < full; k++) {
            sizes.add(unit * n);
        }
        for (int i = n - 1; i >= 1; i--) {
            sizes.add(unit * i);
        }
        // The units were rounded down: the few bytes left go to the first full-size segment.
        sizes.set(n - 1, sizes.get(n - 1) + length - unit * n * (n + full));
        List<ByteSpan> segments = new ArrayList<>();
        long start = from;
        for (long size : sizes) {
            segments.add(new ByteSpan(start, size));
            start += size;
        }
        return segments;
    }

    /** {@code [from, end)} cut into consecutive segments of {@code step} bytes (the last may be shorter). */
    public static List<ByteSpan> even(long from, long end, long step) {
        List<ByteSpan> segments = new ArrayList<>();
        for (long start = from; start < end; start += step) {
            segments.add(new ByteSpan(start, Math.min(step, end - start)));
        }
        return segments;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
