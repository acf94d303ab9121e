package dev.reelflux.inference;

import dev.reelflux.core.TimeBudget;
import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.decoders.DecodeListener;
import dev.reelflux.decoders.StreamInfo;
import dev.reelflux.decoders.TruncatedMediaException;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.testing.BallScene;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.inference.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two real TorchScript models (the ball detector and the ball pose model, at different input and batch sizes) over one
 * decode of a generated clip: the same results as each model alone, one decode, the slowest model governing, per-model
 * selection, and every slab back in its pool whatever ends the clip.
 */
@ExtendWith(NativeLeakGate.class)
class ModelFanOutTest {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final int FRAMES = 60;
    private static final SlabShape BALL = new SlabShape(8, 320, 320);
    private static final SlabShape POSE = new SlabShape(4, 256, 192);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static byte[] clip;
    private static InferenceWorker ballWorker;
    private static InferenceWorker poseWorker;

    @BeforeAll
    static void start() {
        clip = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false).optSize(WIDTH, HEIGHT)
                .optFrames(FRAMES).optGop(25).toBytes();
        ballWorker = InferenceWorker.start(DetectorModel.load(TestModels.ballDetectorSpec(dir, BALL)));
        poseWorker = InferenceWorker.start(DetectorModel.load(poseSpec()));
    }

    @AfterAll
    static void stop() {
        ballWorker.close();
        poseWorker.close();
    }

    @Test
    void eachModelGivesWhatItGivesAloneFrameByFrame() {
        List<FrameAnalysis> both = collect(ModelFanOut.create(List.of(ball(), pose())));
        List<FrameAnalysis> ballAlone = collect(ModelFanOut.create(List.of(ball())));
        List<FrameAnalysis> poseAlone = collect(ModelFanOut.create(List.of(pose())));

        assertThat(both).extracting(FrameAnalysis::frameIndex)
                .containsExactlyElementsOf(LongStream.range(0, FRAMES).boxed().toList());
        assertThat(both).allSatisfy(frame -> assertThat(frame.models()).containsOnlyKeys("ball", "pose"));
        assertThat(results(both, "ball")).isEqualTo(results(ballAlone, "ball"));
        assertThat(results(both, "pose")).isEqualTo(results(poseAlone, "pose"));
        // Not trivially equal: the ball is found, and the pose model's keypoint 0 is its centre, in source pixels.
        for (FrameResult pose : results(both, "pose")) {
            BallScene.Point truth = BallScene.center((int) pose.frameIndex(), WIDTH, HEIGHT);
            Keypoint centre = pose.keypoints(TestModels.POSE_KEYPOINTS).get(0);
            assertThat(Math.hypot(centre.x() - truth.x(), centre.y() - truth.y()))
                    .as("frame %d", pose.frameIndex()).isLessThanOrEqualTo(2.0);
            assertThat(pose.keypoints(TestModels.POSE_KEYPOINTS).get(2)).isEqualTo(new Keypoint(2, 0, 0, 0));
        }
    }

    @Test
    void decodesTheClipOnceForAllModels() {
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger decoded = new AtomicInteger();
        DecodeListener counting = new DecodeListener() {
            @Override
            public void opened(StreamInfo stream, long openNanos) {
                opened.incrementAndGet();
            }

            @Override
            public void frameDecoded(long index, boolean selected) {
                decoded.incrementAndGet();
            }
        };

        List<FrameAnalysis> frames = ModelFanOut.create(List.of(ball(), pose()))
                .decode(decoder().optListener(counting), MemorySource.of(clip)).collectList().block(WAIT);

        assertThat(frames).hasSize(FRAMES);
        assertThat(opened).hasValue(1);
        assertThat(decoded).hasValue(FRAMES);
    }

    @Test
    void aSlowModelHoldsTheDecoderBackAndLosesNoFrame() {
        HookedModel slow = HookedModel.slow(DetectorModel.load(poseSpec()), 60);
        AtomicLong furthestAhead = new AtomicLong();
        DecodeListener watching = new DecodeListener() {
            @Override
            public void frameEmitted(long index) {
                furthestAhead.accumulateAndGet(index + 1 - slow.framesDone(), Math::max);
            }
        };
        try (InferenceWorker slowWorker = InferenceWorker.start(slow)) {
            ModelBranch slowPose = ModelBranch.create("pose", slowWorker, POSE)
                    .optYolo(YoloSpec.create().optKeypoints(TestModels.POSE_KEYPOINTS));

            List<FrameAnalysis> frames = ModelFanOut.create(List.of(ball(), slowPose))
                    .decode(decoder().optListener(watching), MemorySource.of(clip)).collectList().block(WAIT);

            assertThat(frames).hasSize(FRAMES)
                    .allSatisfy(frame -> assertThat(frame.models()).containsOnlyKeys("ball", "pose"));
            // The decoder never ran further ahead of the slow model than its slabs (3 of 4 frames) and the frame in
            // hand allow.
            assertThat(furthestAhead.get()).isLessThanOrEqualTo(3L * POSE.batchSize() + 1);
        }
    }

    @Test
    void eachModelRunsOnItsOwnSelection() {
        List<FrameAnalysis> frames = collect(ModelFanOut.create(List.of(ball().optFrameFilter(i -> i < 40),
                pose().optStride(3))));

        assertThat(frames).extracting(FrameAnalysis::frameIndex)
                .containsExactlyElementsOf(LongStream.range(0, FRAMES).filter(i -> i < 40 || i % 3 == 0).boxed()
                        .toList());
        for (FrameAnalysis frame : frames) {
            assertThat(frame.model("ball").isPresent()).as("frame %d", frame.frameIndex())
                    .isEqualTo(frame.frameIndex() < 40);
            assertThat(frame.model("pose").isPresent()).as("frame %d", frame.frameIndex())
                    .isEqualTo(frame.frameIndex() % 3 == 0);
        }
    }

    @Test
    void aModelFailingMidClipEndsItWithATypedErrorNamingItAfterTheFramesEveryModelFinished() {
        HookedModel failsThird = HookedModel.failingOnBatch(DetectorModel.load(poseSpec()), 3);
        List<SlabPool> pools = pools();
        List<FrameAnalysis> done = new CopyOnWriteArrayList<>();
        try (InferenceWorker failing = InferenceWorker.start(failsThird)) {
            ModelBranch failingPose = ModelBranch.create("pose", failing, POSE);

            StepVerifier.create(ModelFanOut.create(List.of(ball(), failingPose))
                            .decode(decoder(), MemorySource.of(clip), pools).doOnNext(done::add))
                    .thenConsumeWhile(frame -> true)
                    .expectErrorSatisfies(error -> {
                        assertThat(error).isInstanceOf(InferenceException.class)
                                .hasMessageContaining("model 'pose'").hasMessageContaining("injected failure");
                        assertThat(((InferenceException) error).model()).contains("pose");
                    })
                    .verify(WAIT);
        }
        // Exactly the frames of the two batches the failing model finished, each with both models' results.
        assertThat(done).extracting(FrameAnalysis::frameIndex)
                .containsExactlyElementsOf(LongStream.range(0, failsThird.framesBeforeFailure()).boxed().toList());
        assertThat(done).isNotEmpty()
                .allSatisfy(frame -> assertThat(frame.models()).containsOnlyKeys("ball", "pose"));
        assertAllBack(pools);
    }

    @Test
    void cancelTruncationAndBudgetReturnEverySlabOfEveryModel() {
        ModelFanOut fanOut = ModelFanOut.create(List.of(ball(), pose()));
        List<SlabPool> pools = pools();

        StepVerifier.create(fanOut.decode(decoder(), MemorySource.of(clip), pools).take(5))
                .expectNextCount(5).verifyComplete();
        assertAllBack(pools);

        byte[] truncated = Arrays.copyOf(clip, clip.length * 2 / 3);
        StepVerifier.create(fanOut.decode(decoder(), MemorySource.of(truncated), pools))
                .thenConsumeWhile(frame -> frame.models().size() == 2)
                .expectError(TruncatedMediaException.class)
                .verify(WAIT);
        assertAllBack(pools);

        TimeBudget budget = TimeBudget.startingNow(Duration.ofMillis(300));
        List<FrameAnalysis> inTime = fanOut.decode(decoder(), MemorySource.of(clip), pools)
                .delayElements(Duration.ofMillis(20)).transform(budget.guard()).collectList().block(WAIT);
        assertThat(inTime).isNotEmpty().hasSizeLessThan(FRAMES);
        assertAllBack(pools);
    }

    @Test
    void refusesModelsThatShareAName() {
        assertThatThrownBy(() -> ModelFanOut.create(List.of(ball(), ball())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share a name");
    }

    private static ModelBranch ball() {
        return ModelBranch.create("ball", ballWorker, BALL);
    }

    private static ModelBranch pose() {
        return ModelBranch.create("pose", poseWorker, POSE)
                .optYolo(YoloSpec.create().optKeypoints(TestModels.POSE_KEYPOINTS));
    }

    private static ModelSpec poseSpec() {
        return ModelSpec.create().setModelPath(TestModels.writeBallPose(dir.resolve("pose.pt"))).optDevice("cpu")
                .optInputSize(POSE.width(), POSE.height()).optBatchSize(POSE.batchSize()).optWarmupBatches(1);
    }

    private static VideoDecoder decoder() {
        return VideoDecoder.create().optThreads(1);
    }

    private static List<SlabPool> pools() {
        return List.of(new SlabPool(BALL, 3), new SlabPool(POSE, 3));
    }

    private static void assertAllBack(List<SlabPool> pools) {
        // A batch still running when the clip ended goes back from the worker thread a moment later.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (pools.stream().anyMatch(pool -> pool.outstanding() > 0) && System.nanoTime() < deadline) {
            sleep(10);
        }
        assertThat(pools).allSatisfy(pool -> assertThat(pool.outstanding()).as("%s", pool.shape()).isZero());
    }

    private static List<FrameAnalysis> collect(ModelFanOut fanOut) {
        return fanOut.decode(decoder(), MemorySource.of(clip)).collectList().block(WAIT);
    }

    private static List<FrameResult> results(List<FrameAnalysis> frames, String model) {
        return frames.stream().map(frame -> frame.model(model)).flatMap(Optional::stream).toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
