package dev.reelflux.decoders.internal;

import dev.reelflux.core.ByteSpan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.LongPredicate;

/**
 * The samples of an MP4 video track that a frame selection needs, worked out from the index before they are read.
 * The demuxer still goes through every sample (so it stamps each with the right timestamps), but the bytes of the
 * samples left out are never fetched, and their packets never reach the decoder.
 *
 * <p>A frame needs the samples it refers to, which come before it in decode order, back to its GOP's key sample. So
 * each GOP needs its key sample and, up to the last sample of a wanted frame, every sample that others may refer to
 * (all but the {@linkplain Sample#disposable() disposable} ones) and every wanted one. The rest of the GOP is left out,
 * and so is a GOP with no wanted frame.
 *
 * <p>Key samples are taken as random access points: decoding from one gives every frame shown from it on exactly as
 * decoding from the start does. A GOP whose key sample is followed by frames shown before it (leading frames: an open
 * GOP, whose B-frames refer back into the previous GOP) is the exception: when one of its leading frames is wanted,
 * the previous GOP is needed to its end, its own leading frames aside (they are shown before its key sample, so the
 * frames shown after it never refer to them).
 */
final class GopPlan {

    private static final GopPlan EMPTY = new GopPlan(List.of(), List.of(), Map.of(), new boolean[0], 0);

    /**
     * One sample of the track, in decode order.
     *
     * @param pos        where its bytes start in the file
     * @param size       its bytes
     * @param key        whether decoding can start at it
     * @param pts        when it is shown, in the track's time base (up to one shift for all samples)
     * @param shown      whether it is shown at all (an edit list may cut it)
     * @param disposable whether no other sample refers to it
     */
    record Sample(long pos, int size, boolean key, long pts, boolean shown, boolean disposable) {
        ByteSpan span() {
            return new ByteSpan(pos, size);
        }
    }

    private final List<ByteSpan> needed;
    private final List<ByteSpan> skipped;
    /** Each sample's number in decode order, by position. */
    private final Map<Long, Integer> numbers;
    private final boolean[] need;
    private final long extent;

    private GopPlan(List<ByteSpan> needed, List<ByteSpan> skipped, Map<Long, Integer> numbers, boolean[] need,
                    long extent) {
        this.needed = needed;
        this.skipped = skipped;
        this.numbers = numbers;
        this.need = need;
        this.extent = extent;
    }

    /** The key samples alone. */
    static GopPlan keyframes(List<Sample> samples) {
        return of(samples, i -> samples.get(i).key());
    }

    /**
     * The samples that the frames whose display timestamp passes {@code wantedAt} need.
     */
    static GopPlan thinned(List<Sample> samples, LongPredicate wantedAt) {
        int count = samples.size();
        boolean[] wanted = new boolean[count];
        for (int i = 0; i < count; i++) {
            Sample sample = samples.get(i);
            wanted[i] = sample.shown() && wantedAt.test(sample.pts());
        }
        List<int[]> gops = gops(samples);
        int[] limit = new int[gops.size()];
        boolean[] complete = new boolean[gops.size()];
        boolean[] leading = new boolean[count];
        for (int g = 0; g < gops.size(); g++) {
            int start = gops.get(g)[0];
            limit[g] = -1;
            for (int i = start; i < gops.get(g)[1]; i++) {
                leading[i] = samples.get(i).pts() < samples.get(start).pts();
                if (g > 0 && leading[i] && wanted[i]) {
                    complete[g - 1] = true;
                }
                if (wanted[i]) {
                    limit[g] = i;
                }
            }
        }
        boolean[] need = new boolean[count];
        int firstKey = gops.isEmpty() ? count : gops.get(0)[0];
        for (int i = 0; i < firstKey; i++) {
            // Before the first key sample there is nowhere to start decoding from but the start.
            need[i] = true;
        }
        for (int g = 0; g < gops.size(); g++) {
            int start = gops.get(g)[0];
            int last = complete[g] ? gops.get(g)[1] - 1 : limit[g];
            for (int i = start; i <= last; i++) {
                boolean referable = !samples.get(i).disposable() && (i <= limit[g] || !leading[i]);
                need[i] = i == start || wanted[i] || referable;
            }
        }
        return of(samples, i -> need[i]);
    }

    /** Each GOP as {start, end} sample numbers: from a key sample to the next one. */
    private static List<int[]> gops(List<Sample> samples) {
        List<int[]> gops = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).key()) {
                if (!gops.isEmpty()) {
                    gops.get(gops.size() - 1)[1] = i;
                }
                gops.add(new int[] {i, samples.size()});
            }
        }
        return gops;
    }

    private static GopPlan of(List<Sample> samples, IntPredicate needs) {
        List<ByteSpan> needed = new ArrayList<>();
        List<ByteSpan> skipped = new ArrayList<>();
        Map<Long, Integer> numbers = new HashMap<>();
        boolean[] need = new boolean[samples.size()];
        long first = Long.MAX_VALUE;
        long end = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            first = Math.min(first, sample.pos());
            end = Math.max(end, sample.pos() + sample.size());
            numbers.put(sample.pos(), i);
            need[i] = needs.test(i);
            (need[i] ? needed : skipped).add(sample.span());
        }
        return needed.isEmpty() ? EMPTY
                : new GopPlan(List.copyOf(needed), List.copyOf(skipped), Map.copyOf(numbers), need, end - first);
    }

    /**
     * The needed samples as a read plan, merging those {@code maxGap} bytes apart or less; the samples left out are
     * its holes.
     */
    ReadPlan reads(long maxGap) {
        return ReadPlan.of(needed, skipped, maxGap);
    }

    /** Whether the sample at byte {@code pos} is needed: the others' bytes are not fetched, nor decoded. */
    boolean needs(long pos) {
        Integer number = numbers.get(pos);
        return number != null && need[number];
    }

    /** Whether the sample after the one at byte {@code pos}, in decode order, is needed (or unknown). */
    boolean needsNext(long pos) {
        Integer number = numbers.get(pos);
        return number == null || number + 1 >= need.length || need[number + 1];
    }

    /** Whether this plan needs the same of {@code other}'s samples as {@code other} does (a plan of a tail of them). */
    boolean sameNeeds(GopPlan other) {
        for (Map.Entry<Long, Integer> sample : other.numbers.entrySet()) {
            if (needs(sample.getKey()) != other.need[sample.getValue()]) {
                return false;
            }
        }
        return true;
    }

    /** Bytes from the first sample's start to the last one's end: what reading everything would fetch. */
    long extent() {
        return extent;
    }

    boolean isEmpty() {
        return needed.isEmpty();
    }
}
