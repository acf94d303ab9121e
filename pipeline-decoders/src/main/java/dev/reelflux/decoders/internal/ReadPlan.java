package dev.reelflux.decoders.internal;

import dev.reelflux.core.ByteSpan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The only bytes of a file a decode will read, as sorted, disjoint spans: for example the key-frame samples of an MP4,
 * from its index, when only key frames are wanted. Spans closer than a gap limit are merged, since a request costs
 * more than a few skipped bytes.
 *
 * <p>Its holes are ranges the reader goes through without needing their bytes (samples the demuxer reads and the
 * decode drops): they are never fetched, and read as zeros.
 */
final class ReadPlan {

    private final List<ByteSpan> spans;
    private final List<ByteSpan> holes;

    private ReadPlan(List<ByteSpan> spans, List<ByteSpan> holes) {
        this.spans = spans;
        this.holes = holes;
    }

    /**
     * The plan covering {@code spans} (any order, overlapping or not), merging those {@code maxGap} apart or less,
     * with {@code holes}: bytes a reader goes through but never uses, so that they may lie in a merged gap, never in
     * {@code spans} themselves.
     */
    static ReadPlan of(List<ByteSpan> spans, List<ByteSpan> holes, long maxGap) {
        return new ReadPlan(merged(spans, maxGap), merged(holes, 0));
    }

    private static List<ByteSpan> merged(List<ByteSpan> spans, long maxGap) {
        List<ByteSpan> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong(ByteSpan::offset));
        List<ByteSpan> merged = new ArrayList<>();
        for (ByteSpan span : sorted) {
            ByteSpan last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && span.offset() - last.end() <= maxGap) {
                long end = Math.max(last.end(), span.end());
                merged.set(merged.size() - 1, new ByteSpan(last.offset(), end - last.offset()));
            } else {
                merged.add(span);
            }
        }
        return List.copyOf(merged);
    }

    /** The index of the span holding {@code offset}, or -1. */
    int indexOf(long offset) {
        return find(spans, offset);
    }

    /** Where the hole holding {@code offset} ends, or -1 when {@code offset} lies in none. */
    long holeEnd(long offset) {
        int index = find(holes, offset);
        return index < 0 ? -1 : holes.get(index).end();
    }

    /** Whether {@code offset} lies in a span or a hole: somewhere a reader following the plan may be. */
    boolean covers(long offset) {
        return indexOf(offset) >= 0 || holeEnd(offset) >= 0;
    }

    /**
     * The spans from {@code offset} on: from the one holding it, cut to start there, or, from a hole, those after it.
     */
    List<ByteSpan> from(long offset) {
        int index = indexOf(offset);
        if (index >= 0) {
            List<ByteSpan> rest = new ArrayList<>(spans.subList(index, spans.size()));
            ByteSpan first = rest.get(0);
            rest.set(0, new ByteSpan(offset, first.end() - offset));
            return rest;
        }
        if (holeEnd(offset) < 0) {
            throw new IllegalArgumentException(offset + " is not in the plan");
        }
        return spans.stream().filter(span -> span.offset() > offset).toList();
    }

    /** Bytes the plan reads. */
    long bytes() {
        return spans.stream().mapToLong(ByteSpan::length).sum();
    }

    private static int find(List<ByteSpan> sorted, long offset) {
        int low = 0;
        int high = sorted.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            ByteSpan span = sorted.get(mid);
            if (offset < span.offset()) {
                high = mid - 1;
            } else if (offset >= span.end()) {
                low = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "ReadPlan[" + spans.size() + " spans, " + bytes() + " bytes, " + holes.size() + " holes]";
    }
}
