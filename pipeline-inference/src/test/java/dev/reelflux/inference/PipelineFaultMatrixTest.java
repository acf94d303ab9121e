package dev.reelflux.inference;

import dev.reelflux.core.ConnectFailedException;
import dev.reelflux.core.ContentRangeException;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.HttpStatusException;
import dev.reelflux.core.RedirectException;
import dev.reelflux.core.ResponseTimeoutException;
import dev.reelflux.core.SizeLimitException;
import dev.reelflux.core.StallException;
import dev.reelflux.core.TransferFailedException;
import dev.reelflux.core.testing.Fault;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.InvalidMediaException;
import dev.reelflux.decoders.SeekNotSupportedException;
import dev.reelflux.decoders.UnsupportedMediaException;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.testing.Corruptions;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.inference.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every fault of the reliability issue against the whole pipeline (URL to results): each clip ends within its
 * deadline with the right typed error, after the results of the frames done before it, and leaves nothing behind (the
 * gate checks sessions, threads, native bytes, chunks and Netty buffers after each).
 */
@ExtendWith(NativeLeakGate.class)
class PipelineFaultMatrixTest {

    private static final int FRAMES = 50;
    private static final SlabShape SHAPE = new SlabShape(8, 160, 160);
    /** Generous for a 2-core CI machine; a hang shows as a timeout here, not as a stuck build. */
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private static byte[] clip;
    private static InferenceWorker worker;
    private static TestHttpServer server;
    private int connectionsBefore;

    @BeforeAll
    static void start() {
        clip = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false).optSize(320, 240)
                .optFrames(FRAMES).optGop(10).toBytes();
        worker = InferenceWorker.start(DetectorModel.load(TestModels.ballDetectorSpec(dir, SHAPE)));
        server = TestHttpServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        worker.close();
    }

    @BeforeEach
    void countConnections() {
        connectionsBefore = server.connectionsOpen();
    }

    /**
     * The client closes every connection whose response it gave up on (a stall, a reset, a cancel); at most one new
     * one may stay open, idle in the client's pool for the next clip.
     */
    @AfterEach
    void noConnectionLeftBehind() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.connectionsOpen() > connectionsBefore + 1 && System.nanoTime() < deadline) {
            sleep(10);
        }
        assertThat(server.connectionsOpen()).as("connections open on the server").isLessThanOrEqualTo(
                connectionsBefore + 1);
    }

    @Test
    void refusedConnection() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        expect(URI.create("http://127.0.0.1:" + port + "/a.mp4"), HttpSettings.create(), ConnectFailedException.class);
    }

    @Test
    void unresolvableHost() {
        expect(URI.create("http://reelflux-fault-matrix.invalid/a.mp4"), HttpSettings.create(),
                ConnectFailedException.class);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {403, 404, 410, 500, 502, 503})
    void errorStatus(int status) {
        URI uri = server.serve("/status-" + status + ".mp4", clip);
        server.fault(uri.getPath(), Fault.status(status));
        Analysis analysis = expect(uri, HttpSettings.create(), HttpStatusException.class);
        assertThat(analysis.report().error()).hasMessageContaining(String.valueOf(status));
    }

    @Test
    void redirectLoop() {
        URI uri = server.redirect("/loop-a.mp4", "/loop-b.mp4", 302);
        server.redirect("/loop-b.mp4", "/loop-a.mp4", 302);
        expect(uri, HttpSettings.create(), RedirectException.class);
    }

    @ParameterizedTest(name = "reset at {0}% without resume")
    @ValueSource(ints = {1, 40, 90})
    void resetWithoutResume(int percent) {
        URI uri = server.serve("/reset-" + percent + ".mp4", clip);
        server.fault(uri.getPath(), Fault.resetAt(clip.length * (long) percent / 100));
        expect(uri, HttpSettings.create(), TransferFailedException.class);
    }

    @ParameterizedTest(name = "reset at {0}% resumed by a range request")
    @ValueSource(ints = {1, 40, 90})
    void resetResumed(int percent) {
        URI uri = server.serve("/resumed-" + percent + ".mp4", clip);
        server.fault(uri.getPath(), Fault.resetAt(clip.length * (long) percent / 100).times(1));

        Analysis analysis = run(uri, HttpSettings.create().optRetry(2, Duration.ofMillis(10)));

        assertThat(analysis.report().error()).isNull();
        assertThat(analysis.frames()).hasSize(FRAMES);
        assertThat(analysis.report().transfer().retries()).isEqualTo(1);
    }

    @Test
    void serverIgnoringRangeOnAClipThatNeedsAJump() {
        byte[] moovAtEnd = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false).optSize(320, 240)
                .optFrames(FRAMES).optContainer(TestVideo.Container.MP4_MOOV_AT_END).toBytes();
        URI uri = server.serve("/no-ranges.mp4", moovAtEnd);
        server.fault(uri.getPath(), Fault.ignoreRange());
        Analysis analysis = expect(uri, HttpSettings.create(), SeekNotSupportedException.class);
        assertThat(analysis.report().error()).hasMessageContaining("faststart");
    }

    @Test
    void wrongContentLength() {
        URI uri = server.serve("/wrong-length.mp4", clip);
        server.fault(uri.getPath(), Fault.wrongContentLength(clip.length + 10_000L));
        expect(uri, HttpSettings.create(), ContentRangeException.class);
    }

    @Test
    void stallBeforeHeaders() {
        URI uri = server.serve("/stall-headers.mp4", clip);
        server.fault(uri.getPath(), Fault.stallBeforeHeaders());
        expect(uri, HttpSettings.create().optResponseTimeout(Duration.ofMillis(400)), ResponseTimeoutException.class);
    }

    @Test
    void stallMidBody() {
        URI uri = server.serve("/stall-body.mp4", clip);
        server.fault(uri.getPath(), Fault.stallAt(clip.length / 2));
        Analysis analysis = expect(uri, HttpSettings.create().optIdleTimeout(Duration.ofMillis(400)),
                StallException.class);
        assertThat(analysis.frames()).as("frames before the stall").isNotEmpty();
    }

    @Test
    void sizeBeyondMaxSize() {
        URI uri = server.serve("/huge.mp4", clip);
        expect(uri, HttpSettings.create().optMaxSize(clip.length / 2), SizeLimitException.class);
    }

    @Test
    void garbageBytes() {
        byte[] garbage = new byte[200_000];
        new Random(7).nextBytes(garbage);
        expect(server.serve("/garbage.mp4", garbage), HttpSettings.create(), InvalidMediaException.class);
    }

    @Test
    void zeroByteBody() {
        expect(server.serve("/empty.mp4", new byte[0]), HttpSettings.create(), InvalidMediaException.class);
    }

    @Test
    void unsupportedCodec() {
        byte[] mkv = TestVideo.create().optContainer(TestVideo.Container.MKV).optSize(160, 120).optFrames(10)
                .toBytes();
        Corruptions.replaceAscii(mkv, "V_MPEG4/ISO/AVC", "V_REELFLUX/NONE");
        expect(server.serve("/unsupported.mkv", mkv), HttpSettings.create(), UnsupportedMediaException.class);
    }

    @Test
    void truncatedFileGivesTheFramesBeforeTheCutInOrder() {
        byte[] half = java.util.Arrays.copyOf(clip, clip.length / 2);

        Analysis analysis = run(server.serve("/half.mp4", half), HttpSettings.create());

        // A faststart MP4 cut in half has its index: the frames whose bytes arrived decode, the rest are missing.
        assertThat(analysis.frames()).isNotEmpty().hasSizeLessThan(FRAMES);
        assertInOrderFromZero(analysis);
    }

    @Test
    void corruptGroupOfPicturesIsSkippedNotFatal() {
        byte[] corrupt = clip.clone();
        Random random = new Random(11);
        // Scribble over a run in the middle of the media data: the demuxer still finds every packet.
        for (int i = corrupt.length / 2; i < corrupt.length / 2 + 2_000; i++) {
            corrupt[i] = (byte) random.nextInt();
        }

        Analysis analysis = run(server.serve("/corrupt.mp4", corrupt), HttpSettings.create());

        assertThat(analysis.report().error()).isNull();
        assertThat(analysis.frames()).hasSizeGreaterThan(FRAMES / 2);
    }

    @Test
    void modelFailureInTheMiddleFailsTheClipAfterTheBatchesBefore() {
        BatchModel failsThird = HookedModel.failingOnBatch(DetectorModel.load(TestModels.ballDetectorSpec(dir, SHAPE)),
                3);
        try (InferenceWorker failing = InferenceWorker.start(failsThird)) {
            Analysis analysis = VideoAnalysis.create(ModelBranch.create("ball", failing, SHAPE)).optDecoder(decoder())
                    .analyze(server.serve("/model-fails.mp4", clip), HttpSettings.create()).block(DEADLINE);

            assertThat(analysis.report().error()).isInstanceOf(InferenceException.class)
                    .hasMessageContaining("injected failure").hasMessageContaining("model 'ball'");
            assertThat(((InferenceException) analysis.report().error()).model()).contains("ball");
            assertThat(analysis.frames()).hasSize(2 * SHAPE.batchSize());
            assertInOrderFromZero(analysis);
        }
    }

    @Test
    void cancellingAtRandomMomentsLeavesNothingBehind() {
        URI uri = server.serve("/cancelled.mp4", clip);
        server.shape(clip.length * 2L, Duration.ofMillis(5));
        Random random = new Random(3);
        try {
            for (int run = 0; run < 12; run++) {
                Disposable clipRun = analysis().analyze(uri, HttpSettings.create()).subscribe();
                sleep(random.nextInt(400));
                clipRun.dispose();
            }
        } finally {
            server.shape(0, Duration.ZERO);
        }
        assertThat(worker.queued()).isZero();
    }

    @Test
    void aBudgetEndsAStalledClipWithItsPartialResultsAndNoError() {
        URI uri = server.serve("/budget-stall.mp4", clip);
        server.fault(uri.getPath(), Fault.stallAt(clip.length / 2));

        Analysis analysis = analysis().optBudget(Duration.ofMillis(1500)).analyze(uri, HttpSettings.create())
                .block(DEADLINE);

        assertThat(analysis.report().budgetHit()).isTrue();
        assertThat(analysis.report().error()).isNull();
        assertThat(analysis.frames()).isNotEmpty().hasSizeLessThan(FRAMES);
        assertInOrderFromZero(analysis);
    }

    private static Analysis expect(URI uri, HttpSettings settings, Class<? extends Throwable> error) {
        Analysis analysis = run(uri, settings);
        assertThat(analysis.report().error()).as("error of %s", uri).isInstanceOf(error);
        assertInOrderFromZero(analysis);
        return analysis;
    }

    private static Analysis run(URI uri, HttpSettings settings) {
        Analysis analysis = analysis().analyze(uri, settings).block(DEADLINE);
        assertThat(analysis).as("analysis of %s within %s", uri, DEADLINE).isNotNull();
        return analysis;
    }

    private static void assertInOrderFromZero(Analysis analysis) {
        assertThat(analysis.frames()).extracting(FrameAnalysis::frameIndex)
                .containsExactlyElementsOf(LongStream.range(0, analysis.frames().size()).boxed().toList());
    }

    private static VideoAnalysis analysis() {
        return VideoAnalysis.create(ModelBranch.create("ball", worker, SHAPE)).optDecoder(decoder());
    }

    private static VideoDecoder decoder() {
        return VideoDecoder.create().optThreads(1);
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
