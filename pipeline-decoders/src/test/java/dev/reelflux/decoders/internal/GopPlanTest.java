package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.internal.GopPlan.Sample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class GopPlanTest {

    /**
     * Samples of 100 bytes each, back to back, in decode order: {@code K} a key sample, {@code P} one others refer
     * to, {@code b} a disposable one; the display times are given in the same order.
     */
    private static List<Sample> samples(String types, long... pts) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < types.length(); i++) {
            char type = types.charAt(i);
            samples.add(new Sample(i * 100L, 100, type == 'K', pts[i], true, type == 'b'));
        }
        return samples;
    }

    /** Decode-order numbers of the samples {@code plan} needs. */
    private static List<Integer> needed(GopPlan plan, List<Sample> samples) {
        return IntStream.range(0, samples.size()).filter(i -> plan.needs(samples.get(i).pos())).boxed().toList();
    }

    private static LongPredicate only(Long... pts) {
        Set<Long> wanted = Set.of(pts);
        return wanted::contains;
    }

    @Test
    void keyFramesNeedTheKeySamplesAlone() {
        List<Sample> samples = samples("KPPKPP", 0, 1, 2, 3, 4, 5);
        GopPlan plan = GopPlan.keyframes(samples);

        assertThat(needed(plan, samples)).containsExactly(0, 3);
        assertThat(plan.extent()).isEqualTo(600);
        assertThat(plan.reads(0).bytes()).isEqualTo(200);
        assertThat(plan.reads(0).holeEnd(150)).isEqualTo(300);
        assertThat(plan.reads(0).holeEnd(300)).isEqualTo(-1);
    }

    @Test
    void withoutReorderingAGopIsNeededUpToItsLastWantedFrameAndAGopWithoutOneNotAtAll() {
        List<Sample> samples = samples("KPPPKPPPKPPP", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        GopPlan plan = GopPlan.thinned(samples, only(2L, 8L));

        assertThat(needed(plan, samples)).containsExactly(0, 1, 2, 8);
        assertThat(plan.needsNext(200)).isFalse();
        assertThat(plan.needsNext(700)).isTrue();
    }

    @Test
    void disposableSamplesAreNeededOnlyWhenWanted() {
        // Display order I b b P b b P: the P-frames come before the B-frames shown ahead of them.
        List<Sample> samples = samples("KPbbPbb", 0, 3, 1, 2, 6, 4, 5);
        GopPlan plan = GopPlan.thinned(samples, only(4L));

        // Frame 4 refers to P3 and P6: both needed, with the key; b1, b2 and b5 are not.
        assertThat(needed(plan, samples)).containsExactly(0, 1, 4, 5);
    }

    @Test
    void aWantedLeadingFrameOfAnOpenGopNeedsThePreviousGopWhole() {
        // GOP 2's key (shown at 6) is followed by B-frames shown before it, which refer to GOP 1's last P.
        List<Sample> samples = samples("KPbbPbbKbbPbb", 0, 3, 1, 2, 6, 4, 5, 9, 7, 8, 12, 10, 11);
        // For comparison, a first GOP that is closed (its own B-frames come after its P).
        assertThat(needed(GopPlan.thinned(samples, only(0L, 10L)), samples))
                .as("the leading frames are not wanted: GOP 1 ends at its first frame")
                .containsExactly(0, 7, 10, 11);
        assertThat(needed(GopPlan.thinned(samples, only(0L, 8L)), samples))
                .as("leading frame 8 is wanted: all of GOP 1 that others refer to, and GOP 2 up to frame 8")
                .containsExactly(0, 1, 4, 7, 9);
    }

    @Test
    void aGopNeededToItsEndForTheNextOneLeavesOutItsOwnLeadingFrames() {
        // GOP 2 (key 5) is open: b4 leads it. GOP 3 (key 9) is open too, and its leading frame 8 is wanted.
        List<Sample> samples = samples("KPbKPPbKbP", 0, 3, 1, 5, 4, 7, 6, 9, 8, 11);
        // GOP 2 to its end, bar P4, which is shown before its key and so is not referred to by anything after it;
        // GOP 1 not at all: GOP 2's frames from its key on decode without it.
        assertThat(needed(GopPlan.thinned(samples, only(8L)), samples)).containsExactly(3, 5, 7, 8);
    }

    @Test
    void samplesBeforeTheFirstKeyAreAlwaysNeededAndFramesNotShownNeverWanted() {
        List<Sample> samples = new ArrayList<>(samples("PKPP", 0, 1, 2, 3));
        Sample cut = samples.get(2);
        samples.set(2, new Sample(cut.pos(), cut.size(), false, cut.pts(), false, false));
        GopPlan plan = GopPlan.thinned(samples, pts -> pts == 2);

        // Frame 2 is the only one wanted, but it is not shown: nothing after the first key sample is needed.
        assertThat(needed(plan, samples)).containsExactly(0);
    }
}
