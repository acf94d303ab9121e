package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.internal.GopPlan.Sample;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

/**
 * The sparse read of a thinned selection over an MP4 track's samples ({@link GopPlan}), kept in step with the
 * selection: planned at the first video packet and again at every key sample after it, because a selection may change
 * as the clip runs (a time budget's planner widening or narrowing a model's stride). From the key sample on, the
 * samples the selection no longer needs are not fetched, and the ones it needs again are. A plan that saves too little
 * to pay for its requests is not followed; one that becomes so is dropped, and the rest is read whole.
 */
final class SparseReads {

    /** Samples closer than this are read in one request: skipping fewer bytes saves less than a request costs. */
    static final long MAX_GAP = 32 * 1024;
    /** A plan must leave out this share of what reading on would fetch to be worth its requests. */
    private static final double MIN_SAVING = 0.1;

    private final List<Sample> samples;
    /** Each sample's number in decode order, by position. */
    private final Map<Long, Integer> numbers = new HashMap<>();
    private final LongPredicate wantedAt;
    private final ReadPlanFollower follower;
    private final Runnable seekDirectly;
    /** From the index's display times to the demuxer's, known at the first packet; null before it. */
    private Long shift;
    private boolean unplannable;
    private GopPlan plan;

    /**
     * @param wantedAt     whether the frame the demuxer stamps with a pts is selected, asked in decode order
     * @param follower     what reads the bytes as the plans say ({@link ChunkStream})
     * @param seekDirectly lets every seek of the demuxer reach the source once a plan is followed
     *                     ({@link AvioBridge#seekDirectly}), so that skipped samples are not read through
     */
    SparseReads(List<Sample> samples, LongPredicate wantedAt, ReadPlanFollower follower, Runnable seekDirectly) {
        this.samples = samples;
        this.wantedAt = wantedAt;
        this.follower = follower;
        this.seekDirectly = seekDirectly;
        for (int i = 0; i < samples.size(); i++) {
            numbers.put(samples.get(i).pos(), i);
        }
    }

    /**
     * A video packet is about to be decoded: plans at the first one (which gives the shift between the index's times
     * and the demuxer's) and at each key sample. Returns the plan to follow, or null for every sample.
     */
    GopPlan packet(long pos, long pts, boolean key) {
        if (unplannable) {
            return null;
        }
        Integer number = numbers.get(pos);
        if (shift == null) {
            if (pts == AV_NOPTS_VALUE) {
                return null;
            }
            if (number == null) {
                unplannable = true;
                return null;
            }
            shift = pts - samples.get(number).pts();
            plan(number, true);
        } else if (key && number != null) {
            plan(number, false);
        }
        return plan;
    }

    private void plan(int from, boolean first) {
        long demuxerShift = shift;
        GopPlan next = GopPlan.thinned(samples.subList(from, samples.size()),
                pts -> wantedAt.test(pts + demuxerShift));
        ReadPlan reads = next.reads(MAX_GAP);
        if (next.isEmpty() || reads.bytes() > (1 - MIN_SAVING) * next.extent()) {
            if (plan != null) {
                plan = null;
                follower.replan(null);
            }
            return;
        }
        if (plan != null && plan.sameNeeds(next)) {
            return;
        }
        if (first) {
            follower.plan(reads);
            seekDirectly.run();
        } else {
            follower.replan(reads);
            if (plan == null) {
                seekDirectly.run();
            }
        }
        plan = next;
    }
}
