package dev.reelflux.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentRampTest {

    private static final long UNIT = 100 << 10;
    private static final long MAX = 4 * UNIT;

    @Test
    void theFirstSegmentIsSpreadOverAllConnectionsAfterAFirstUnit() {
        SegmentRamp ramp = new SegmentRamp(4, MAX);

        assertThat(ramp.first()).isEqualTo(UNIT);
        assertThat(ramp.rest(UNIT, 9 * UNIT)).containsExactly(new ByteSpan(UNIT, 2 * UNIT),
                new ByteSpan(3 * UNIT, 2 * UNIT), new ByteSpan(5 * UNIT, 2 * UNIT), new ByteSpan(7 * UNIT, 2 * UNIT));
    }

    @Test
    void thenPartsGrowByAUnitUpToTheMostAndStay() {
        SegmentRamp ramp = afterAFirstSegmentOfOneUnit();

        assertThat(ramp.first()).isEqualTo(2 * UNIT);
        assertThat(ramp.rest(2 * UNIT, 12 * UNIT)).containsExactly(new ByteSpan(2 * UNIT, 3 * UNIT),
                new ByteSpan(5 * UNIT, 4 * UNIT), new ByteSpan(9 * UNIT, 3 * UNIT));
        assertThat(ramp.rest(0, 9 * UNIT)).as("after the ramp").containsExactly(new ByteSpan(0, 4 * UNIT),
                new ByteSpan(4 * UNIT, 4 * UNIT), new ByteSpan(8 * UNIT, UNIT));
    }

    @Test
    void aSegmentEndCutsAPartAndTheLastPartTakesInARemainderShorterThanAUnit() {
        SegmentRamp ramp = afterAFirstSegmentOfOneUnit();

        assertThat(ramp.first()).isEqualTo(2 * UNIT);
        assertThat(ramp.rest(2 * UNIT, 5 * UNIT + 50)).as("a part of three units would leave 50 bytes")
                .containsExactly(new ByteSpan(2 * UNIT, 3 * UNIT + 50));
        assertThat(ramp.rest(0, UNIT)).as("cut where the segment ends").containsExactly(new ByteSpan(0, UNIT));
    }

    @Test
    void afterTheRampAFirstReadAsksForTwoPartsSoThatASegmentALittleLongerNeedsNoTailRequest() {
        SegmentRamp ramp = new SegmentRamp(2, 2 * UNIT);

        assertThat(ramp.first()).isEqualTo(UNIT);
        assertThat(ramp.first()).isEqualTo(4 * UNIT);
        assertThat(ramp.first()).isEqualTo(4 * UNIT);
    }

    @Test
    void onceTheServerIsSeenIgnoringRangesEverySegmentIsOneRead() {
        SegmentRamp ramp = afterAFirstSegmentOfOneUnit();

        ramp.rangesRefused();

        assertThat(ramp.first()).isEqualTo(Long.MAX_VALUE);
        assertThat(ramp.first()).isEqualTo(Long.MAX_VALUE);
    }

    private static SegmentRamp afterAFirstSegmentOfOneUnit() {
        SegmentRamp ramp = new SegmentRamp(4, MAX);
        assertThat(ramp.first()).isEqualTo(UNIT);
        return ramp;
    }
}
