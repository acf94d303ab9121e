package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.internal.GopPlan.Sample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

/**
 * {@link SparseReads} on a synthetic track: 100 samples of 10 KB, a key sample every 25, P-frames only (each needs the
 * ones before it in its GOP), shown 512 ticks apart; the demuxer stamps them 1,000 ticks later than the index does.
 */
class SparseReadsTest {

    private static final int SAMPLES = 100;
    private static final int GOP = 25;
    private static final int SIZE = 10_000;
    private static final long TICKS = 512;
    private static final long SHIFT = 1_000;

    private final List<Sample> samples = new ArrayList<>();
    private final Recorder follower = new Recorder();
    private int seeksDirect;
    private LongPredicate wanted;

    SparseReadsTest() {
        for (int i = 0; i < SAMPLES; i++) {
            samples.add(new Sample(1_000L + (long) i * SIZE, SIZE, i % GOP == 0, i * TICKS, true, false));
        }
    }

    @Test
    void theFirstPacketPlansWithTheDemuxersTimesAndLetsSeeksThrough() {
        List<Long> asked = new ArrayList<>();
        wanted = pts -> {
            asked.add(pts);
            return frame(pts) % GOP == 0;
        };
        SparseReads reads = reads();

        GopPlan plan = reads.packet(pos(0), demuxerPts(0), true);

        assertThat(plan).isNotNull();
        assertThat(asked).as("the selection is asked in the demuxer's times").contains(demuxerPts(0), demuxerPts(99));
        assertThat(follower.plans).hasSize(1);
        assertThat(follower.plans.get(0).bytes()).as("the four key samples").isEqualTo(4L * SIZE);
        assertThat(follower.replans).isEmpty();
        assertThat(seeksDirect).isOne();
        assertThat(plan.needs(pos(25))).isTrue();
        assertThat(plan.needs(pos(26))).isFalse();
    }

    @Test
    void aSelectionThatSavesTooLittleIsReadWhole() {
        wanted = pts -> frame(pts) % GOP != GOP - 1;
        SparseReads reads = reads();

        assertThat(reads.packet(pos(0), demuxerPts(0), true)).as("only each GOP's last sample is left out").isNull();
        assertThat(follower.plans).isEmpty();
        assertThat(seeksDirect).isZero();
    }

    @Test
    void aChangedSelectionIsPlannedAgainAtTheNextKeySampleOnly() {
        boolean[] everyKey = {true};
        wanted = pts -> everyKey[0] ? frame(pts) % GOP == 0 : frame(pts) % (2 * GOP) == 0;
        SparseReads reads = reads();
        reads.packet(pos(0), demuxerPts(0), true);

        everyKey[0] = false;
        assertThat(reads.packet(pos(1), demuxerPts(1), false)).as("not a key sample: the plan stays").isNotNull();
        assertThat(follower.replans).isEmpty();
        GopPlan widened = reads.packet(pos(25), demuxerPts(25), true);

        assertThat(follower.replans).hasSize(1);
        assertThat(widened.needs(pos(25))).as("frame 25 is no longer wanted").isFalse();
        assertThat(widened.needs(pos(50))).isTrue();
        assertThat(seeksDirect).as("already direct").isOne();
        reads.packet(pos(50), demuxerPts(50), true);
        assertThat(follower.replans).as("the same needs: no new plan").hasSize(1);
    }

    @Test
    void aPlanThatStopsPayingIsDroppedAndTheRestReadWhole() {
        boolean[] sparse = {true};
        wanted = pts -> !sparse[0] || frame(pts) % GOP == 0;
        SparseReads reads = reads();
        reads.packet(pos(0), demuxerPts(0), true);

        sparse[0] = false;

        assertThat(reads.packet(pos(25), demuxerPts(25), true)).isNull();
        assertThat(follower.replans).containsExactly((ReadPlan) null);
    }

    @Test
    void aPacketTheIndexDoesNotKnowMakesTheTrackUnplannable() {
        wanted = pts -> frame(pts) % GOP == 0;
        SparseReads reads = reads();

        assertThat(reads.packet(7, demuxerPts(0), true)).isNull();
        assertThat(reads.packet(pos(25), demuxerPts(25), true)).as("for good").isNull();
        assertThat(follower.plans).isEmpty();
    }

    @Test
    void aFirstPacketWithoutATimestampWaitsForOneWithIt() {
        wanted = pts -> frame(pts) % GOP == 0;
        SparseReads reads = reads();

        assertThat(reads.packet(pos(0), AV_NOPTS_VALUE, true)).isNull();
        assertThat(reads.packet(pos(1), demuxerPts(1), false)).isNotNull();
        assertThat(follower.plans).hasSize(1);
    }

    private SparseReads reads() {
        return new SparseReads(samples, pts -> wanted.test(pts), follower, () -> seeksDirect++);
    }

    private long pos(int sample) {
        return samples.get(sample).pos();
    }

    private static long demuxerPts(int sample) {
        return sample * TICKS + SHIFT;
    }

    private static long frame(long demuxerPts) {
        return (demuxerPts - SHIFT) / TICKS;
    }

    /** The plans handed to the chunk stream. */
    private static final class Recorder implements ReadPlanFollower {
        final List<ReadPlan> plans = new ArrayList<>();
        final List<ReadPlan> replans = new ArrayList<>();

        @Override
        public void plan(ReadPlan plan) {
            plans.add(plan);
        }

        @Override
        public void replan(ReadPlan next) {
            replans.add(next);
        }
    }
}
