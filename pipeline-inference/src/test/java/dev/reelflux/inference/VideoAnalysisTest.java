package dev.reelflux.inference;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.HttpStatusException;
import dev.reelflux.core.PipelineReport;
import dev.reelflux.core.testing.Fault;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.testing.BallScene;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.inference.testing.TestModels;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole chain over HTTP: URL, frames, slabs, the TorchScript ball detector, boxes in source pixels. */
@ExtendWith(NativeLeakGate.class)
class VideoAnalysisTest {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final int FRAMES = 60;
    private static final SlabShape SHAPE = new SlabShape(8, 320, 320);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static byte[] clip;
    private static InferenceWorker worker;
    private static TestHttpServer server;

    @BeforeAll
    static void start() {
        clip = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false).optSize(WIDTH, HEIGHT)
                .optFrames(FRAMES).optGop(25).toBytes();
        ModelSpec model = TestModels.ballDetectorSpec(dir, SHAPE);
        worker = InferenceWorker.start(DetectorModel.load(model));
        server = TestHttpServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        worker.close();
    }

    @AfterEach
    void nothingLeftOpen() {
        assertThat(worker.queued()).isZero();
    }

    @Test
    void findsTheBallWithinTwoPixelsInEveryFrameOfAStreamedClip() {
        URI uri = server.serve("/ball.mp4", clip);
        // A link that takes about a second for the clip, so that download and inference have time to overlap.
        server.shape(clip.length, Duration.ofMillis(20));
        long nativeBytes = Pointer.totalBytes();

        Analysis analysis = analysis().analyze(uri, HttpSettings.create()).block(WAIT);

        assertThat(analysis.report().error()).isNull();
        assertThat(analysis.frames()).extracting(FrameAnalysis::frameIndex)
                .containsExactlyElementsOf(LongStream.range(0, FRAMES).boxed().toList());
        for (FrameResult frame : analysis.results("ball")) {
            assertThat(frame.detections()).as("frame %d", frame.frameIndex()).hasSize(1);
            Detection ball = frame.detections().get(0);
            BallScene.Point truth = BallScene.center((int) frame.frameIndex(), WIDTH, HEIGHT);
            assertThat(Math.hypot(ball.centerX() - truth.x(), ball.centerY() - truth.y()))
                    .as("frame %d: %s vs %s", frame.frameIndex(), ball, truth).isLessThanOrEqualTo(2.0);
        }
        assertThat(analysis.stream().width()).isEqualTo(WIDTH);
        PipelineReport report = analysis.report();
        assertThat(report.work().framesDecoded()).isEqualTo(FRAMES);
        assertThat(report.work().framesInferred()).isEqualTo(FRAMES);
        assertThat(report.work().resultsEmitted()).isEqualTo(FRAMES);
        assertThat(report.transfer().bytesFetched()).isEqualTo(clip.length);
        assertThat(report.transfer().sizeBytes()).isEqualTo(clip.length);
        assertThat(report.budgetHit()).isFalse();
        // Overlap: the first result arrives before the last byte does.
        assertThat(report.times().firstResultMs()).isLessThan(report.times().lastByteMs());
        assertThat(Pointer.totalBytes()).as("JavaCPP bytes").isEqualTo(nativeBytes);
    }

    @Test
    void aBudgetHitKeepsTheResultsDoneSoFarAndSaysSo() {
        URI uri = server.serve("/slow.mp4", clip);
        // The clip takes about 2.5 s over this link; the budget ends the run near the middle. Without planning (one
        // stride), so that what is cut is a contiguous tail.
        server.shape(clip.length / 5 * 2, Duration.ofMillis(10));

        Analysis analysis = analysis().optBudget(Duration.ofMillis(1200)).optStrides(1, 1)
                .optBatchWait(Duration.ofMillis(20))
                .analyze(uri, HttpSettings.create()).block(WAIT);

        PipelineReport report = analysis.report();
        assertThat(report.budgetHit()).isTrue();
        assertThat(report.error()).isNull();
        assertThat(analysis.frames()).isNotEmpty().hasSizeLessThan(FRAMES);
        assertThat(analysis.frames()).extracting(FrameAnalysis::frameIndex)
                .containsExactlyElementsOf(LongStream.range(0, analysis.frames().size()).boxed().toList());
        assertThat(report.work().resultsEmitted()).isGreaterThanOrEqualTo(analysis.frames().size());
        assertThat(report.transfer().bytesFetched()).isLessThan(clip.length);
    }

    @Test
    void twoClipsShareOneWorkerAndBothComeOutWhole() {
        URI first = server.serve("/first.mp4", clip);
        URI second = server.serve("/second.mp4", clip);
        server.shape(8_000_000, Duration.ofMillis(5));
        VideoAnalysis analysis = analysis();

        List<Analysis> both = Mono.zip(analysis.analyze(first, HttpSettings.create()),
                analysis.analyze(second, HttpSettings.create()), List::of).block(WAIT);

        assertThat(both).allSatisfy(one -> {
            assertThat(one.report().error()).isNull();
            assertThat(one.results("ball")).hasSize(FRAMES)
                    .allSatisfy(frame -> assertThat(frame.detections()).hasSize(1));
        });
        assertThat(both.get(0).frames()).isEqualTo(both.get(1).frames());
    }

    @Test
    void anHttpErrorEndsTheClipWithTheTypedErrorInTheReport() {
        URI uri = server.serve("/gone.mp4", clip);
        server.fault("/gone.mp4", Fault.status(404));

        Analysis analysis = analysis().analyze(uri, HttpSettings.create()).block(WAIT);

        assertThat(analysis.frames()).isEmpty();
        assertThat(analysis.stream()).isNull();
        assertThat(analysis.report().error()).isInstanceOf(HttpStatusException.class)
                .hasMessageContaining("404").hasMessageContaining("/gone.mp4");
    }

    @Test
    void clipsAndTheHttpClientAreRecordedInTheRegistryGiven() {
        URI ok = server.serve("/metered.mp4", clip);
        URI gone = server.serve("/metered-gone.mp4", clip);
        server.fault("/metered-gone.mp4", Fault.status(404));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        VideoAnalysis analysis = analysis().optMetrics(registry);
        HttpSettings http = HttpSettings.create().optMetrics(registry);
        try {
            analysis.analyze(ok, http).block(WAIT);
            analysis.analyze(gone, http).block(WAIT);

            assertThat(registry.get("reelflux.clips").tags("outcome", "completed", "error", "none").counter().count())
                    .isEqualTo(1);
            assertThat(registry.get("reelflux.clips").tags("outcome", "failed", "error", "HttpStatusException")
                    .counter().count()).isEqualTo(1);
            assertThat(registry.get("reelflux.frames").tag("stage", "inferred").counter().count()).isEqualTo(FRAMES);
            assertThat(registry.get("reelflux.bytes.fetched").counter().count()).isEqualTo(clip.length);
            assertThat(registry.get("reelflux.clip.latency").tag("to", "first_result").timer().count()).isEqualTo(1);
            assertThat(registry.get("reelflux.clip.latency").tag("to", "total").timer().count()).isEqualTo(2);
            assertThat(registry.get("reelflux.inference.time").timer().totalTime(TimeUnit.MILLISECONDS)).isPositive();
            assertThat(registry.find("reactor.netty.http.client.response.time").timers())
                    .as("Reactor Netty's client meters").isNotEmpty()
                    .allSatisfy(timer -> assertThat(timer.getId().getTag("uri")).isEqualTo("/"));
        } finally {
            Metrics.globalRegistry.remove(registry);
        }
    }

    private static VideoAnalysis analysis() {
        return VideoAnalysis.create(ModelBranch.create("ball", worker, SHAPE))
                .optDecoder(VideoDecoder.create().optThreads(1));
    }
}
