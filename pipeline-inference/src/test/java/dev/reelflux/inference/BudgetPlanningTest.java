package dev.reelflux.inference;

import dev.reelflux.core.PipelineRecorder;
import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.inference.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A budget that cannot fit every frame through a model slowed on purpose (25 ms a frame): the planner thins the
 * frames evenly over the whole clip instead of losing its tail, and the fill answers every frame.
 */
@ExtendWith(NativeLeakGate.class)
class BudgetPlanningTest {

    private static final int FRAMES = 100;
    private static final SlabShape SHAPE = new SlabShape(4, 160, 160);
    private static final Duration BUDGET = Duration.ofMillis(1500);

    @TempDir
    Path dir;

    @Test
    void aTightBudgetCoversTheWholeClipWithEvenlySpreadFrames() {
        byte[] clip = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false).optSize(320, 240)
                .optFrames(FRAMES).optGop(25).toBytes();
        BatchModel slow = HookedModel.slow(DetectorModel.load(TestModels.ballDetectorSpec(dir, SHAPE)), 100);
        try (InferenceWorker worker = InferenceWorker.start(slow)) {
            // Unplanned, the model alone would take 2.5 s.
            Analysis analysis = VideoAnalysis.create(ModelBranch.create("ball", worker, SHAPE))
                    .optDecoder(VideoDecoder.create().optThreads(1)).optBudget(BUDGET)
                    .optBatchWait(Duration.ofMillis(20))
                    .analyze(MemorySource.of(clip), PipelineRecorder.start()).block(Duration.ofSeconds(30));

            List<FrameResult> inferred = analysis.results("ball");
            assertThat(analysis.report().error()).isNull();
            assertThat(analysis.strides()).as("the planner thinned").isNotEmpty()
                    .allSatisfy(change -> assertThat(change.stride()).isBetween(1, 8));
            assertThat(inferred.size()).as("inferred").isBetween(FRAMES * 35 / 100, FRAMES - 1);
            assertThat(inferred.get(inferred.size() - 1).frameIndex()).as("the clip's end is covered")
                    .isGreaterThanOrEqualTo(FRAMES - 2L * 8);
            int finalStride = analysis.strides().get(analysis.strides().size() - 1).stride();
            for (int i = 1; i < inferred.size(); i++) {
                assertThat(inferred.get(i).frameIndex() - inferred.get(i - 1).frameIndex()).as("gap before %s",
                        inferred.get(i).frameIndex()).isLessThanOrEqualTo(2L * Math.max(finalStride, 2));
            }
            assertThat(analysis.report().totalMs()).isLessThanOrEqualTo(BUDGET.toMillis() * 1.1);
            List<FilledFrame> answered = Flux.fromIterable(inferred).transform(ObjectTracker.create())
                    .transform(FrameFill.create().optClip(FRAMES, 25)).collectList().block();
            assertThat(answered).hasSize(FRAMES);
        }
    }

    @Test
    void aBudgetThatFitsEverythingInfersEverything() {
        byte[] clip = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false).optSize(320, 240)
                .optFrames(40).optGop(25).toBytes();
        try (InferenceWorker worker = InferenceWorker.start(DetectorModel.load(
                TestModels.ballDetectorSpec(dir, SHAPE)))) {
            Analysis analysis = VideoAnalysis.create(ModelBranch.create("ball", worker, SHAPE))
                    .optDecoder(VideoDecoder.create().optThreads(1)).optBudget(Duration.ofSeconds(20))
                    .analyze(MemorySource.of(clip), PipelineRecorder.start()).block(Duration.ofSeconds(30));

            assertThat(analysis.strides()).isEmpty();
            assertThat(analysis.results("ball")).hasSize(40);
        }
    }
}
