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
            assertThat(segment.length()).isPositive().isLessThanOrEqualTo(MIB + 1);
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
        // Rather one segment than a short one after a minimum one.
        assertThat(Segments.staggered(0, 100_000, 4, MIB, MIN)).extracting(ByteSpan::length)
                .containsExactly(100_000L);
        assertThat(Segments.staggered(5, 5, 4, MIB, MIN)).isEmpty();
    }

    @Test
    void aHugeRangeCostsNothingUpFrontAndNeverOverflows() {
        long tebibyte = 1L << 40;
        List<ByteSpan> segments = Segments.staggered(7, 7 + tebibyte, 8, MIB, MIN);

        assertThat(segments).hasSize(2 * 8 - 1 + (1 << 20) - 8);
        assertThat(segments.get(0).offset()).isEqualTo(7);
        assertThat(segments.get(segments.size() - 1).end()).isEqualTo(7 + tebibyte);
        assertThat(segments.get(100_000).length()).isBetween(MIB - 1, MIB);
        assertThat(Segments.staggered(0, 1_000_000, 4, Long.MAX_VALUE, MIN)).extracting(ByteSpan::length)
                .containsExactly(250_000L, 250_000L, 250_000L, 250_000L);
        assertThat(Segments.even(Long.MAX_VALUE - 10, Long.MAX_VALUE, Long.MAX_VALUE))
                .containsExactly(new ByteSpan(Long.MAX_VALUE - 10, 10));
    }

    @Test
    void evenSegmentsAreOfOneSizeToAByte() {
        assertThat(Segments.even(10, 35, 10)).containsExactly(new ByteSpan(10, 8), new ByteSpan(18, 8),
                new ByteSpan(26, 9));
    }
}
