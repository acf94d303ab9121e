package dev.reelflux.examples;

import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MallocTuningTest {

    @Test
    void pinsTheThresholdThroughGlibcsMallopt() {
        assumeTrue(Platform.isLinux(), "glibc's malloc runs on Linux");

        assertThat(MallocTuning.pinMmapThreshold(Map.of())).isTrue();
    }

    @Test
    void leavesMallocAloneWhereTheEnvironmentTunesIt() {
        assertThat(MallocTuning.pinMmapThreshold(Map.of("MALLOC_MMAP_THRESHOLD_", "262144"))).isFalse();
        assertThat(MallocTuning.pinMmapThreshold(Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=2"))).isFalse();
    }
}
