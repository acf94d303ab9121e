package dev.reelflux.inference;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.Chunk;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.PipelineRecorder;
import dev.reelflux.core.TimeBudget;
import dev.reelflux.core.TransferListener;
import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.inference.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Budgets against a model slowed on purpose: one that cannot fit every frame has its frames thinned evenly over the
 * whole clip instead of losing its tail, and the fill answers every frame; one that fits everything thins nothing; a
 * slow start of the link widens the stride, which narrows again once the bytes come fast.
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
        byte[] clip = clip(FRAMES);
        try (InferenceWorker worker = InferenceWorker.start(slowed(100))) {
            // Unplanned, the model alone would take 2.5 s.
            Analysis analysis = budgeted(worker, BUDGET)
                    .analyze(MemorySource.of(clip), PipelineRecorder.start()).block(Duration.ofSeconds(30));

            List<FrameResult> inferred = analysis.results("ball");
            assertThat(analysis.report().error()).isNull();
            assertThat(analysis.strides()).as("the planner thinned").isNotEmpty()
                    .allSatisfy(change -> assertThat(change.stride()).isBetween(1, 8));
            assertThat(inferred.size()).as("inferred").isBetween(FRAMES * 35 / 100, FRAMES - 1);
            assertThat(inferred.get(inferred.size() - 1).frameIndex()).as("the clip's last frame")
                    .isEqualTo(FRAMES - 1);
            int finalStride = analysis.strides().get(analysis.strides().size() - 1).stride();
            for (int i = 1; i < inferred.size(); i++) {
                assertThat(inferred.get(i).frameIndex() - inferred.get(i - 1).frameIndex()).as("gap before %s",
                        inferred.get(i).frameIndex()).isLessThanOrEqualTo(2L * Math.max(finalStride, 2));
            }
            assertThat(analysis.report().times().totalMs()).isLessThanOrEqualTo(BUDGET.toMillis() * 1.1);
            // Without being told the clip's length, the fill reaches its end: every frame is answered.
            List<FilledFrame> answered = Flux.fromIterable(inferred).transform(ObjectTracker.create())
                    .transform(FrameFill.create()).collectList().block();
            assertThat(answered).extracting(FilledFrame::frameIndex)
                    .containsExactlyElementsOf(LongStream.range(0, FRAMES).boxed().toList());
        }
    }

    @Test
    void aSlowStartThenAFastLinkEndsWithANarrowerStrideThanTheStart() {
        byte[] clip = clip(FRAMES);
        TestHttpServer server = TestHttpServer.start();
        URI uri = server.serve("/clip.mp4", clip);
        // The client's first request (event loops, connection) is not the start this test is about.
        ByteSource.open(uri, HttpSettings.create()).read(0, 1).doOnNext(Chunk::close).blockLast(Duration.ofSeconds(10));
        // The first third of the clip at half the clip a second, then the link is fast.
        server.shape(clip.length / 2, Duration.ZERO);
        AtomicLong received = new AtomicLong();
        TransferListener speedUp = new TransferListener() {
            @Override
            public void bytesReceived(int bytes) {
                if (received.addAndGet(bytes) >= clip.length / 3) {
                    server.shape(0, Duration.ZERO);
                }
            }
        };
        try (InferenceWorker worker = InferenceWorker.start(slowed(40))) {
            // 10 ms a frame: on a fast link from the start, every frame would fit the 2 s.
            Analysis analysis = budgeted(worker, Duration.ofSeconds(2))
                    .analyze(uri, HttpSettings.create().optListener(speedUp)).block(Duration.ofSeconds(30));

            assertThat(analysis.report().error()).isNull();
            List<StrideChange> strides = analysis.strides();
            assertThat(strides).as("the planner widened during the slow start").isNotEmpty();
            assertThat(strides.get(strides.size() - 1).stride()).as("the final stride, after %s", strides)
                    .isLessThan(strides.stream().mapToInt(StrideChange::stride).max().orElseThrow());
            assertThat(analysis.results("ball")).last().extracting(FrameResult::frameIndex).isEqualTo(FRAMES - 1L);
        } finally {
            server.close();
        }
    }

    @Test
    void cancellingOrFailingAThinnedClipReleasesEverything() {
        byte[] clip = clip(FRAMES);
        try (InferenceWorker worker = InferenceWorker.start(slowed(100))) {
            VideoAnalysis analysis = budgeted(worker, BUDGET);

            // Cancelled after a few results, while the planner has thinned and batches are in the worker.
            List<FrameAnalysis> some = analysis.results(MemorySource.of(clip), PipelineRecorder.start(),
                    TimeBudget.startingNow(BUDGET)).take(6).collectList().block(Duration.ofSeconds(30));
            assertThat(some).hasSize(6);
            // Cut off at two thirds: the clip fails, after the frames done before the cut.
            Analysis truncated = analysis.analyze(MemorySource.of(Arrays.copyOf(clip, clip.length * 2 / 3)),
                    PipelineRecorder.start()).block(Duration.ofSeconds(30));
            assertThat(truncated.report().error()).isNotNull();
            assertThat(truncated.results("ball")).isNotEmpty();
        }
    }

    @Test
    void aBudgetThatFitsEverythingInfersEverything() {
        byte[] clip = clip(40);
        try (InferenceWorker worker = InferenceWorker.start(DetectorModel.load(
                TestModels.ballDetectorSpec(dir, SHAPE)))) {
            Analysis analysis = budgeted(worker, Duration.ofSeconds(20))
                    .analyze(MemorySource.of(clip), PipelineRecorder.start()).block(Duration.ofSeconds(30));

            assertThat(analysis.strides()).isEmpty();
            assertThat(analysis.results("ball")).hasSize(40);
        }
    }

    private static byte[] clip(int frames) {
        return TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false).optSize(320, 240).optFrames(frames)
                .optGop(25).toBytes();
    }

    /** The ball detector, each batch held back {@code millis} more. */
    private BatchModel slowed(long millis) {
        return HookedModel.slow(DetectorModel.load(TestModels.ballDetectorSpec(dir, SHAPE)), millis);
    }

    private static VideoAnalysis budgeted(InferenceWorker worker, Duration budget) {
        return VideoAnalysis.create(ModelBranch.create("ball", worker, SHAPE))
                .optDecoder(VideoDecoder.create().optThreads(1)).optBudget(budget)
                .optBatchWait(Duration.ofMillis(20));
    }
}
