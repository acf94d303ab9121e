package dev.reelflux.examples;

import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.testing.BallScene;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.inference.Analysis;
import dev.reelflux.inference.Detection;
import dev.reelflux.inference.DetectorModel;
import dev.reelflux.inference.FrameResult;
import dev.reelflux.inference.ModelBranch;
import dev.reelflux.inference.InferenceWorker;
import dev.reelflux.inference.ModelSpec;
import dev.reelflux.inference.VideoAnalysis;
import dev.reelflux.inference.testing.TestModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The main job: makes a soccer-like clip with a moving ball, serves it from an in-process server shaped like a CDN,
 * runs the whole pipeline (download, decode into batch slabs, the TorchScript ball detector, YOLO decoding) and prints
 * where the time went and how close the detections came to the ball's true path. No network, no arguments;
 * {@code --timeline out.svg} also draws the run.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Runs the full pipeline on a generated clip served by an in-process CDN-like server (no network).")
final class DemoCommand implements Callable<Integer> {

    private static final String MODEL = "ball";
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 720;
    private static final int FRAMES = 250;
    private static final int INPUT = 384;
    private static final int BATCH = 16;
    private static final long LINK_BYTES_PER_SECOND = 5_000_000;
    private static final Duration FIRST_BYTE_LATENCY = Duration.ofMillis(30);

    @Option(names = "--timeline", paramLabel = "out.svg", description = "also draw the run as an SVG timeline")
    private Path timeline;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("reelflux-demo-");
        try {
            return run(work, Optional.ofNullable(timeline));
        } finally {
            Workspace.delete(work);
        }
    }

    private int run(Path work, Optional<Path> timeline) throws IOException {
        long started = System.nanoTime();
        byte[] clip = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false).optSize(WIDTH, HEIGHT)
                .optFrames(FRAMES).optGop(50).toBytes();
        Path model = TestModels.writeBallDetector(work.resolve("ball.pt"));
        System.out.printf("reelflux demo: a %dx%d H.264 clip of %d frames (%d bytes) made in %.1f s%n", WIDTH, HEIGHT,
                FRAMES, clip.length, (System.nanoTime() - started) / 1e9);

        ModelSpec spec = ModelSpec.create().setModelPath(model).optInputSize(INPUT, INPUT).optBatchSize(BATCH);
        try (InferenceWorker worker = InferenceWorker.start(DetectorModel.load(spec));
             TestHttpServer cdn = TestHttpServer.start()) {
            URI uri = cdn.serve("/match.mp4", clip);
            cdn.shape(LINK_BYTES_PER_SECOND, FIRST_BYTE_LATENCY);
            System.out.printf("served at %s over a %.1f MB/s link with %d ms to first byte (connection and pipeline"
                    + " warmed up); model %s%n%n", uri,
                    LINK_BYTES_PER_SECOND / 1e6, FIRST_BYTE_LATENCY.toMillis(), worker);

            HttpSettings http = HttpSettings.create();
            VideoAnalysis pipeline = VideoAnalysis.create(ModelBranch.create(MODEL, worker, spec.slabShape()));
            // As a service has by its second request: a pooled connection, natives loaded, code compiled.
            http.warmup(uri).block();
            Warmup.pipeline(pipeline, http);
            Analysis analysis = pipeline.analyze(uri, http).block();
            ReportPrinter.print(analysis.report(), System.out);
            printResults(analysis);
            if (timeline.isPresent()) {
                TimelineSvg.write("reelflux demo: " + WIDTH + "x" + HEIGHT + ", " + FRAMES + " frames over "
                        + LINK_BYTES_PER_SECOND / 1_000_000 + " MB/s", analysis.report(), analysis.timeline(),
                        timeline.get());
                System.out.println("timeline written to " + timeline.get());
            }
            return analysis.report().error() == null ? 0 : 1;
        }
    }

    private static void printResults(Analysis analysis) {
        int found = 0;
        double worst = 0;
        double sum = 0;
        for (FrameResult frame : analysis.results(MODEL)) {
            if (frame.detections().isEmpty()) {
                continue;
            }
            Detection ball = frame.detections().get(0);
            BallScene.Point truth = BallScene.center((int) frame.frameIndex(), WIDTH, HEIGHT);
            double error = Math.hypot(ball.centerX() - truth.x(), ball.centerY() - truth.y());
            found++;
            sum += error;
            worst = Math.max(worst, error);
        }
        System.out.printf("%nresults: ball found in %d of %d frames; distance to its true centre %.2f px on average,"
                + " %.2f px at worst%n", found, analysis.frames().size(), found == 0 ? 0 : sum / found, worst);
    }
}
