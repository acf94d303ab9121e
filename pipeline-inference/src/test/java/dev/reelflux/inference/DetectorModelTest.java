package dev.reelflux.inference;

import dev.reelflux.decoders.Letterbox;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.reelflux.inference.internal.SlabTensors;
import dev.reelflux.inference.testing.TestFrames;
import dev.reelflux.inference.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DetectorModelTest {

    private static final int HEIGHT = 64;
    private static final int WIDTH = 96;

    @TempDir
    static Path dir;
    private static ModelSpec spec;
    private static DetectorModel model;
    private static SlabPool pool;

    @BeforeAll
    static void loadTheBallDetector() {
        spec = ModelSpec.create()
                .setModelPath(TestModels.writeBallDetector(dir.resolve("ball.pt")))
                .optDevice("cpu")
                .optInputSize(WIDTH, HEIGHT)
                .optBatchSize(3)
                .optWarmupBatches(1);
        model = DetectorModel.load(spec);
        model.warmUp();
        pool = new SlabPool(spec.slabShape(), 2);
    }

    @AfterAll
    static void closeTheModel() {
        model.close();
    }

    @Test
    void findsTheBallInEveryImageOfABatch() throws Exception {
        try (FrameBatch batch = batch(3)) {
            TestFrames.drawBall(batch.slab().slotFloats(0), HEIGHT, WIDTH, 20.3, 30.7, 5);
            TestFrames.drawBall(batch.slab().slotFloats(1), HEIGHT, WIDTH, 70.5, 12.25, 4);
            TestFrames.drawPitch(batch.slab().slotFloats(2), HEIGHT, WIDTH);

            BatchResult result = model.predict(batch);

            OutputTensor out = result.output(0);
            assertThat(out.shape()).containsExactly(3, 5, TestModels.ANCHORS);
            assertBall(out, 0, 20.3, 30.7, 5);
            assertBall(out, 1, 70.5, 12.25, 4);
            assertThat(value(out, 2, 4, 0)).as("score without a ball").isZero();
            assertThat(result.frames()).isEqualTo(batch.frames());
        }
    }

    @Test
    void wrapsTheSlabWithoutCopying() throws Exception {
        try (FrameBatch batch = batch(2); NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray input = SlabTensors.wrap(manager, batch);
            batch.slab().slotFloats(1).put(HEIGHT * WIDTH + 7, 0.75f); // written after the array was made

            assertThat(input.getShape().getShape()).containsExactly(2, 3, HEIGHT, WIDTH);
            assertThat(input.getFloat(1, 1, 0, 7)).isEqualTo(0.75f);
        }
    }

    @Test
    void aModelErrorIsATypedErrorAndTheModelStaysUsable() throws Exception {
        try (FrameBatch bad = batch(1)) {
            TestFrames.drawPitch(bad.slab().slotFloats(0), HEIGHT, WIDTH);
            bad.slab().slotFloats(0).put(0, 2f);

            assertThatThrownBy(() -> model.predict(bad))
                    .isInstanceOf(InferenceException.class)
                    .hasMessageContaining("input must lie in [0, 1]");
        }
        try (FrameBatch good = batch(1)) {
            TestFrames.drawBall(good.slab().slotFloats(0), HEIGHT, WIDTH, 40, 40, 3);
            assertBall(model.predict(good).output(0), 0, 40, 40, 3);
        }
    }

    @Test
    void rejectsABatchOfAnotherInputSize() throws Exception {
        SlabPool other = new SlabPool(new SlabShape(1, HEIGHT, HEIGHT), 1);
        try (FrameBatch batch = new FrameBatch(other.acquire(Duration.ofSeconds(1)), frames(1))) {
            assertThatThrownBy(() -> model.predict(batch))
                    .isInstanceOf(InferenceException.class)
                    .hasMessageContaining("does not fit the model input 64x96");
        }
    }

    @Test
    void aMissingFileFailsToLoad() {
        assertThatThrownBy(() -> DetectorModel.load(spec.setModelPath(dir.resolve("absent.pt"))))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("absent.pt");
    }

    @Test
    void aGpuThatIsNotThereFailsToLoad() {
        assertThatThrownBy(() -> DetectorModel.load(spec.optDevice("cuda:7")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("GPUs are visible");
    }

    @Test
    void runsOnTheDeviceItWasAskedFor() {
        assertThat(model.device()).isEqualTo(Device.cpu());
        assertThat(model.toString()).contains("ball.pt");
    }

    private static FrameBatch batch(int frames) throws Exception {
        return new FrameBatch(pool.acquire(Duration.ofSeconds(1)), frames(frames));
    }

    private static List<FrameInfo> frames(int count) {
        return java.util.stream.LongStream.range(0, count)
                .mapToObj(i -> new FrameInfo(i, 0, Letterbox.identity(WIDTH, HEIGHT)))
                .toList();
    }

    private static void assertBall(OutputTensor out, int image, double cx, double cy, double radius) {
        assertThat(value(out, image, 0, 0)).as("cx").isCloseTo((float) cx, within(1f));
        assertThat(value(out, image, 1, 0)).as("cy").isCloseTo((float) cy, within(1f));
        assertThat(value(out, image, 2, 0)).as("w").isCloseTo((float) (2 * radius), within(1f));
        assertThat(value(out, image, 3, 0)).as("h").isCloseTo((float) (2 * radius), within(1f));
        assertThat(value(out, image, 4, 0)).as("score").isGreaterThan(0.5f);
        for (int anchor = 1; anchor < TestModels.ANCHORS; anchor++) {
            assertThat(value(out, image, 4, anchor)).as("score of empty anchor " + anchor).isZero();
        }
    }

    private static float value(OutputTensor out, int image, int channel, int anchor) {
        return out.data()[(image * out.dim(1) + channel) * out.dim(2) + anchor];
    }
}
