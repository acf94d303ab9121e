package dev.reelflux.core.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContentRangeTest {

    @Test
    void parsesAFullRange() {
        assertThat(ContentRange.parse("bytes 100-199/1000")).isEqualTo(new ContentRange(100, 199, 1000));
        assertThat(ContentRange.parse("bytes 0-0/*")).isEqualTo(new ContentRange(0, 0, -1));
        assertThat(ContentRange.parse("bytes 0-9/10").length()).isEqualTo(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bytes", "bytes 5-4/10", "bytes 0-10/10", "items 0-1/2", "bytes a-b/c", "bytes -1-2/3"})
    void rejectsMalformedRanges(String header) {
        assertThat(ContentRange.parse(header)).isNull();
    }

    @Test
    void parsesAnUnsatisfiedRange() {
        assertThat(ContentRange.parseUnsatisfied("bytes */1000")).isEqualTo(new ContentRange.Unsatisfied(1000));
        assertThat(ContentRange.parseUnsatisfied("bytes 0-1/2")).isNull();
        assertThat(ContentRange.parseUnsatisfied(null)).isNull();
    }
}
