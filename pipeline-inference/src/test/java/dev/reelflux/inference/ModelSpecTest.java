package dev.reelflux.inference;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelSpecTest {

    @Test
    void eachSetterReturnsAModifiedCopyAndLeavesTheOriginalAlone() {
        ModelSpec base = ModelSpec.create();
        ModelSpec tuned = base.setModelPath(Path.of("m.pt")).optInputSize(640, 384).optBatchSize(16)
                .optDevice("cuda:1").optWarmupBatches(0).optCacheDirectory(Path.of("cache"));

        assertThat(base.device()).isEmpty();
        assertThat(base.inputHeight()).isEqualTo(640);
        assertThat(base.batchSize()).isEqualTo(8);
        assertThat(base.warmupBatches()).isEqualTo(2);
        assertThat(tuned.modelPath()).isEqualTo(Path.of("m.pt"));
        assertThat(tuned.device()).contains("cuda:1");
        assertThat(tuned.cacheDirectory()).contains(Path.of("cache"));
        assertThat(tuned.slabShape()).isEqualTo(new SlabShape(16, 640, 384));
        assertThat(tuned.warmupBatches()).isZero();
    }

    @Test
    void theModelPathIsRequired() {
        assertThatThrownBy(() -> DetectorModel.load(ModelSpec.create()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("setModelPath");
    }

    @Test
    void deviceNamesAreCheckedWhenSet() {
        assertThat(ModelSpec.create().optDevice("CUDA").device()).contains("CUDA");
        assertThat(ModelSpec.create().optDevice("gpu2").device()).contains("gpu2");
        assertThatThrownBy(() -> ModelSpec.create().optDevice("tpu:0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use cpu, cuda or cuda:N");
    }

    @Test
    void rejectsNonsenseSizes() {
        assertThatThrownBy(() -> ModelSpec.create().optInputSize(640, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelSpec.create().optBatchSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelSpec.create().optWarmupBatches(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
