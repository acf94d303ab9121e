package dev.reelflux.decoders.internal;

import dev.reelflux.core.ByteSpan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The only bytes of a file a decode will read, as sorted, disjoint spans: for example the key-frame samples of an MP4,
 * from its index, when only key frames are wanted. Spans closer than a gap limit are merged, since a request costs
 * more than a few skipped bytes.
 */
final class ReadPlan {

    private final List<ByteSpan> spans;

    private ReadPlan(List<ByteSpan> spans) {
        this.spans = spans;
    }

    /** The plan covering {@code spans} (any order, overlapping or not), merging those {@code maxGap} apart or less. */
    static ReadPlan of(List<ByteSpan> spans, long maxGap) {
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
        return new ReadPlan(List.copyOf(merged));
    }

    /** The index of the span holding {@code offset}, or -1. */
    int indexOf(long offset) {
        int low = 0;
        int high = spans.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            ByteSpan span = spans.get(mid);
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

    /** The spans from the one holding {@code offset} on, the first cut to start at {@code offset}. */
    List<ByteSpan> from(long offset) {
        int index = indexOf(offset);
        if (index < 0) {
            throw new IllegalArgumentException(offset + " is not in the plan");
        }
        List<ByteSpan> rest = new ArrayList<>(spans.subList(index, spans.size()));
        ByteSpan first = rest.get(0);
        rest.set(0, new ByteSpan(offset, first.end() - offset));
        return rest;
    }

    /** Bytes the plan reads. */
    long bytes() {
        return spans.stream().mapToLong(ByteSpan::length).sum();
    }

    @Override
    public String toString() {
        return "ReadPlan[" + spans.size() + " spans, " + bytes() + " bytes]";
    }
}
