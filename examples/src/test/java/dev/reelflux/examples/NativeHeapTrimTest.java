package dev.reelflux.examples;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NativeHeapTrimTest {

    private static final int BLOCK = 64 * 1024;
    private static final int BLOCKS = 800;

    @Test
    void givesFreedNativeMemoryBack() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "malloc_trim is glibc's");
        // Blocks below glibc's mmap threshold come from an arena. With all but the last freed, the holes sit below
        // the arena's top, where free() leaves them resident: the case the trim is for.
        List<BytePointer> blocks = new ArrayList<>();
        for (int i = 0; i < BLOCKS; i++) {
            blocks.add(new BytePointer(BLOCK).fill(1));
        }
        BytePointer last = blocks.remove(blocks.size() - 1);
        blocks.forEach(BytePointer::close);
        long held = Pointer.physicalBytes();
        try (NativeHeapTrim trim = NativeHeapTrim.start(Duration.ofMillis(10))) {
            Waits.until(() -> trim.trims() >= 1, Duration.ofSeconds(10), "a trim");
        }
        long givenBack = held - Pointer.physicalBytes();
        last.close();
        assertThat(givenBack).as("bytes given back of %d freed", (long) BLOCK * (BLOCKS - 1))
                .isGreaterThan((long) BLOCK * BLOCKS / 2);
    }

    @Test
    void trimsEveryIntervalUntilClosed() throws InterruptedException {
        int atClose;
        try (NativeHeapTrim trim = NativeHeapTrim.start(Duration.ofMillis(20))) {
            Waits.until(() -> trim.trims() >= 3, Duration.ofSeconds(10), "three trims");
            trim.close();
            atClose = trim.trims();
            Thread.sleep(200);
            assertThat(trim.trims()).as("a trim under way at close may end; no other starts")
                    .isLessThanOrEqualTo(atClose + 1);
        }
    }
}
