package dev.reelflux.inference;

import dev.reelflux.decoders.Letterbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameBatchTest {

    private final SlabPool pool = new SlabPool(new SlabShape(2, 4, 4), 1);

    @Test
    void closingTheBatchReturnsItsSlabOnce() {
        FrameBatch batch = Batches.of(pool, 7, 8);

        batch.close();
        batch.close();

        assertThat(pool.acquired()).isEqualTo(1);
        assertThat(pool.released()).isEqualTo(1);
    }

    @Test
    void knowsItsFilledSlotsAndTheirFrames() {
        try (FrameBatch batch = Batches.of(pool, 7)) {
            assertThat(batch.size()).isEqualTo(1);
            assertThat(batch.frames()).extracting(FrameInfo::frameIndex).containsExactly(7L);
            assertThat(batch.toString()).contains("frames 7..7");
        }
    }

    @Test
    void rejectsMoreFramesThanSlotsAndLeavesTheSlabToTheCaller() throws Exception {
        BatchSlab slab = pool.acquire(Duration.ofSeconds(1));
        FrameInfo frame = new FrameInfo(0, 0, Letterbox.identity(4, 4));

        assertThatThrownBy(() -> new FrameBatch(slab, Collections.nCopies(3, frame)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrameBatch(slab, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(pool.outstanding()).isEqualTo(1);
        slab.close();
    }
}
