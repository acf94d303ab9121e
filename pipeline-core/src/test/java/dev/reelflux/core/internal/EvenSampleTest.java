package dev.reelflux.core.internal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvenSampleTest {

    @Test
    void keepsEverythingUntilFull() {
        EvenSample<Long> sample = offer(8, 8);

        assertThat(sample.snapshot()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void whenFullKeepsEveryOtherAndThenEveryOtherOffered() {
        EvenSample<Long> sample = offer(8, 9);

        assertThat(sample.snapshot()).containsExactly(0L, 2L, 4L, 6L, 8L);
    }

    @Test
    void staysWithinItsCapacityEvenlySpacedAndEndsWithTheLatest() {
        EvenSample<Long> sample = offer(8, 1000);

        List<Long> items = sample.snapshot();
        // 1000 offered into 8: a stride of 128 keeps 0, 128, ..., 896; 999 is the latest.
        assertThat(items).containsExactly(0L, 128L, 256L, 384L, 512L, 640L, 768L, 896L, 999L);
    }

    @Test
    void theLatestIsNotRepeatedWhenItWasKept() {
        EvenSample<Long> sample = offer(8, 17);

        assertThat(sample.snapshot()).containsExactly(0L, 4L, 8L, 12L, 16L);
    }

    @Test
    void emptyUntilOffered() {
        assertThat(new EvenSample<Long>(4).snapshot()).isEmpty();
    }

    @Test
    void refusesAnOddOrTinyCapacity() {
        assertThatThrownBy(() -> new EvenSample<Long>(3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EvenSample<Long>(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static EvenSample<Long> offer(int capacity, long count) {
        EvenSample<Long> sample = new EvenSample<>(capacity);
        LongStream.range(0, count).forEach(sample::add);
        return sample;
    }
}
