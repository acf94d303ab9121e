package dev.reelflux.inference;

import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.testing.Fault;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** No global lock: one clip stalled forever does not hold up the others that share the model and the machine. */
@ExtendWith(NativeLeakGate.class)
class PipelineIsolationTest {

    private static final int CLIPS = 16;
    private static final int FRAMES = 40;
    private static final SlabShape SHAPE = new SlabShape(8, 160, 160);

    @TempDir
    Path dir;

    @Test
    void fifteenClipsFinishWhileTheSixteenthStallsForever() {
        byte[] clip = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false).optSize(320, 240)
                .optFrames(FRAMES).optGop(10).toBytes();
        ModelSpec spec = TestModels.ballDetectorSpec(dir, SHAPE);
        try (TestHttpServer server = TestHttpServer.start();
             InferenceWorker worker = InferenceWorker.start(DetectorModel.load(spec))) {
            URI stalled = server.serve("/stalled.mp4", clip);
            server.fault("/stalled.mp4", Fault.stallAt(clip.length / 2));
            VideoAnalysis analysis = VideoAnalysis.create(ModelBranch.create("ball", worker, SHAPE))
                    .optDecoder(VideoDecoder.create().optThreads(1));
            AtomicBoolean stalledEnded = new AtomicBoolean();
            // No idle timeout: only cancelling ends this one.
            var stuck = analysis.analyze(stalled, HttpSettings.create().optIdleTimeout(Duration.ofHours(1)))
                    .doFinally(signal -> stalledEnded.set(true)).subscribe();

            List<Analysis> others = Flux.range(0, CLIPS - 1)
                    .flatMap(i -> analysis.analyze(server.serve("/clip-" + i + ".mp4", clip), HttpSettings.create()),
                            CLIPS)
                    .collectList().block(Duration.ofSeconds(60));

            assertThat(others).hasSize(CLIPS - 1).allSatisfy(done -> {
                assertThat(done.report().error()).isNull();
                assertThat(done.frames()).hasSize(FRAMES);
            });
            assertThat(stalledEnded).as("the stalled clip is still waiting").isFalse();
            // Cancelling it frees everything it held, which the gate checks after the test.
            stuck.dispose();
        }
    }
}
