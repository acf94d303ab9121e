package dev.reelflux.core.internal;

import dev.reelflux.core.ByteSpan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentsTest {

    private static final long MIB = 1 << 20;
    private static final long MIN = 64 << 10;

    @ParameterizedTest
    @CsvSource({"0, 15000000, 8", "131072, 14999892, 6", "7, 5000000, 3", "0, 100000000, 4", "0, 300000, 4",
            "0, 1, 4", "0, 5000000, 1"})
    void segmentsCoverTheRangeExactlyInOrder(long from, long end, int connections) {
        List<ByteSpan> segments = Segments.staggered(from, end, connections, MIB, MIN);

        long next = from;
        for (ByteSpan segment : segments) {
            assertThat(segment.offset()).isEqualTo(next);
            assertThat(segment.length()).isPositive().isLessThanOrEqualTo(MIB + connections * connections);
            next = segment.end();
        }
        assertThat(next).isEqualTo(end);
    }

    @Test
    void segmentsRampUpThenStayThenRampDown() {
        // 15,000,000 bytes over 8: 15 segments of 1 MiB would do, so 7 full ones between the ramps, units of 125,000.
        List<Long> lengths = Segments.staggered(0, 15_000_000, 8, MIB, MIN).stream().map(ByteSpan::length).toList();

        assertThat(lengths).containsExactly(125_000L, 250_000L, 375_000L, 500_000L, 625_000L, 750_000L, 875_000L,
                1_000_000L, 1_000_000L, 1_000_000L, 1_000_000L, 1_000_000L, 1_000_000L, 1_000_000L, 1_000_000L,
                875_000L, 750_000L, 625_000L, 500_000L, 375_000L, 250_000L, 125_000L);
    }

    @Test
    void aRangeTooShortToRampIsSplitEvenlyInWholeRounds() {
        assertThat(Segments.staggered(0, 1_000_000, 4, MIB, MIN)).extracting(ByteSpan::length)
                .containsExactly(250_000L, 250_000L, 250_000L, 250_000L);
        assertThat(Segments.staggered(0, 100_000, 4, MIB, MIN)).extracting(ByteSpan::length)
                .containsExactly(65_536L, 34_464L);
    }

    @Test
    void evenSegmentsEndWithTheRemainder() {
        assertThat(Segments.even(10, 35, 10)).containsExactly(new ByteSpan(10, 10), new ByteSpan(20, 10),
                new ByteSpan(30, 5));
    }
}
