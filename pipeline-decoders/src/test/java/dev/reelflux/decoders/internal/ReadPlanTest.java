package dev.reelflux.decoders.internal;

import dev.reelflux.core.ByteSpan;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadPlanTest {

    private final ReadPlan plan = ReadPlan.of(List.of(new ByteSpan(5_000, 100), new ByteSpan(1_000, 500),
            new ByteSpan(1_520, 80), new ByteSpan(9_000, 10)), List.of(), 50);

    @Test
    void sortsAndMergesSpansCloserThanTheGapLimit() {
        // 1000-1500 and 1520-1600 are 20 bytes apart: one request.
        assertThat(plan.from(1_000)).containsExactly(new ByteSpan(1_000, 600), new ByteSpan(5_000, 100),
                new ByteSpan(9_000, 10));
        assertThat(plan.bytes()).isEqualTo(710);
    }

    @Test
    void findsTheSpanHoldingAnOffsetAndNothingInTheGaps() {
        assertThat(plan.indexOf(1_000)).isZero();
        assertThat(plan.indexOf(1_510)).as("merged gap").isZero();
        assertThat(plan.indexOf(1_599)).isZero();
        assertThat(plan.indexOf(1_600)).isEqualTo(-1);
        assertThat(plan.indexOf(999)).isEqualTo(-1);
        assertThat(plan.indexOf(5_050)).isEqualTo(1);
        assertThat(plan.indexOf(9_009)).isEqualTo(2);
        assertThat(plan.indexOf(9_010)).isEqualTo(-1);
    }

    @Test
    void theRestOfThePlanStartsWhereAskedInsideASpan() {
        assertThat(plan.from(5_040)).containsExactly(new ByteSpan(5_040, 60), new ByteSpan(9_000, 10));
        assertThatThrownBy(() -> plan.from(7_000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overlappingSpansBecomeOne() {
        ReadPlan overlapping = ReadPlan.of(List.of(new ByteSpan(0, 100), new ByteSpan(50, 100)), List.of(), 0);
        assertThat(overlapping.from(0)).containsExactly(new ByteSpan(0, 150));
    }

    @Test
    void holesAreCoveredReadAsNothingAndLeadToTheNextSpan() {
        ReadPlan withHoles = ReadPlan.of(List.of(new ByteSpan(0, 100), new ByteSpan(300, 100)),
                List.of(new ByteSpan(100, 100), new ByteSpan(200, 100), new ByteSpan(400, 50)), 0);

        assertThat(withHoles.holeEnd(150)).as("adjacent holes are one").isEqualTo(300);
        assertThat(withHoles.holeEnd(50)).isEqualTo(-1);
        assertThat(withHoles.covers(449)).isTrue();
        assertThat(withHoles.covers(450)).isFalse();
        assertThat(withHoles.from(120)).containsExactly(new ByteSpan(300, 100));
        assertThat(withHoles.from(420)).isEmpty();
        assertThat(withHoles.bytes()).isEqualTo(200);
    }
}
