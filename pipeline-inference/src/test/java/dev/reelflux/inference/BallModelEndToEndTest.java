package dev.reelflux.inference;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.FrameFormat;
import dev.reelflux.decoders.Letterbox;

import dev.reelflux.inference.testing.TestFrames;
import dev.reelflux.inference.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The inference and YOLO stages with the TorchScript ball models on frames drawn into slabs. */
@ExtendWith(NativeLeakGate.class)
class BallModelEndToEndTest {

    private static final int SOURCE_WIDTH = 256;
    private static final int SOURCE_HEIGHT = 144;
    private static final int INPUT = 128;
    private static final int FRAMES = 6;
    private static final int BATCH = 4;
    private static final double RADIUS = 8;
    private static final Letterbox LETTERBOX =
            Letterbox.fit(FrameFormat.planarFloat(INPUT, INPUT).optLetterbox(true), SOURCE_WIDTH, SOURCE_HEIGHT);
    /** One model pixel, in source pixels. */
    private static final float TOLERANCE = (float) (1 / LETTERBOX.scaleX());

    @TempDir
    Path dir;

    @Test
    void findsTheBallInEveryFrameAtItsSourcePosition() {
        SlabPool pool = new SlabPool(new SlabShape(BATCH, INPUT, INPUT), 3);

        List<FrameResult> results = run(TestModels.writeBallDetector(dir.resolve("ball.pt")), pool, YoloSpec.create());

        assertThat(results).extracting(FrameResult::frameIndex).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        for (FrameResult frame : results) {
            assertThat(frame.detections()).as("frame %d", frame.frameIndex()).hasSize(1);
            Detection ball = frame.detections().get(0);
            int i = (int) frame.frameIndex();
            assertThat(ball.classId()).isZero();
            assertThat(ball.score()).isGreaterThan(0.5f);
            assertThat(ball.centerX()).isCloseTo(ballX(i), within(TOLERANCE));
            assertThat(ball.centerY()).isCloseTo(ballY(i), within(TOLERANCE));
            assertThat(ball.width()).isCloseTo((float) (2 * RADIUS), within(2 * TOLERANCE));
        }
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void findsTheBallsKeypointsAndReportsTheUnseenOneAbsent() {
        SlabPool pool = new SlabPool(new SlabShape(BATCH, INPUT, INPUT), 3);

        List<FrameResult> results = run(TestModels.writeBallPose(dir.resolve("pose.pt")), pool,
                YoloSpec.create().optKeypoints(TestModels.POSE_KEYPOINTS));

        assertThat(results).hasSize(FRAMES);
        for (FrameResult frame : results) {
            int i = (int) frame.frameIndex();
            List<Keypoint> keypoints = frame.keypoints();
            assertThat(keypoints).extracting(Keypoint::index).containsExactly(0, 1);
            assertThat(keypoints.get(0).x()).isCloseTo(ballX(i), within(TOLERANCE));
            assertThat(keypoints.get(0).y()).isCloseTo(ballY(i), within(TOLERANCE));
            assertThat(keypoints.get(1).x()).isCloseTo(ballX(i), within(TOLERANCE));
            assertThat(keypoints.get(1).y()).isCloseTo((float) (ballY(i) - RADIUS), within(TOLERANCE));
        }
        assertThat(pool.outstanding()).isZero();
    }

    private List<FrameResult> run(Path modelFile, SlabPool pool, YoloSpec yolo) {
        ModelSpec spec = ModelSpec.create().setModelPath(modelFile).optDevice("cpu")
                .optInputSize(INPUT, INPUT).optBatchSize(BATCH).optWarmupBatches(1);
        try (InferenceWorker worker = InferenceWorker.start(DetectorModel.load(spec))) {
            return drawnBatches(pool)
                    .transform(InferenceStage.create(worker))
                    .transform(YoloStage.create(yolo))
                    .collectList()
                    .block(Duration.ofSeconds(30));
        }
    }

    /** Frames 0..5 in batches of 4 (the last one partial), a ball drawn at its letterboxed source position. */
    private static Flux<FrameBatch> drawnBatches(SlabPool pool) {
        return Flux.range(0, (FRAMES + BATCH - 1) / BATCH).concatMap(b -> pool.acquire().map(slab -> {
            List<FrameInfo> frames = new ArrayList<>();
            for (int i = b * BATCH; i < Math.min(FRAMES, (b + 1) * BATCH); i++) {
                TestFrames.drawBall(slab.slotFloats(frames.size()), INPUT, INPUT,
                        ballX(i) * LETTERBOX.scaleX() + LETTERBOX.padLeft(),
                        ballY(i) * LETTERBOX.scaleY() + LETTERBOX.padTop(), RADIUS * LETTERBOX.scaleX());
                frames.add(new FrameInfo(i, i / 25.0, LETTERBOX));
            }
            return new FrameBatch(slab, frames);
        }), 0);
    }

    private static float ballX(int frame) {
        return 40.5f + 33.25f * frame;
    }

    private static float ballY(int frame) {
        return 30.25f + 15.5f * frame;
    }
}
