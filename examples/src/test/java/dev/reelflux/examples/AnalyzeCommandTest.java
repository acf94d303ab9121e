package dev.reelflux.examples;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.reelflux.decoders.testing.NativeLeakGate;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.reelflux.core.testing.Fault;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.testing.BallScene;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.inference.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code analyze} end to end: real clips, a real model, the shaped test server; output read back as a user would. */
@ExtendWith(NativeLeakGate.class)
class AnalyzeCommandTest {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final int FRAMES = 40;
    private static final List<String> SUMMARY_KEYS = List.of("frames", "framesDecoded", "width", "height", "codec",
            "firstByteMs", "firstFrameMs", "firstResultMs", "totalMs", "bytesFetched", "sizeBytes", "rangeRequests",
            "connectionsUsed", "connectionsOpened", "retries", "hlsVariant", "segmentsSkipped", "budgetHit",
            "error");

    @TempDir
    static Path dir;
    private static Path clip;
    private static Path model;
    private static TestHttpServer server;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void makeClipAndModel() {
        clip = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false).optSize(WIDTH, HEIGHT)
                .optFrames(FRAMES).optGop(20).writeTo(dir.resolve("ball.mp4"));
        model = TestModels.writeBallDetector(dir.resolve("ball.pt"));
        server = TestHttpServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void decodeOnlyOnAFilePrintsTheBreakdownAndASummaryWithEveryKey() {
        int status = run(clip.toString(), "--summary-json", "--no-progress");

        assertThat(status).isZero();
        JsonObject summary = summary();
        assertThat(summary.keySet()).containsAll(SUMMARY_KEYS);
        assertThat(summary.get("frames").getAsInt()).isEqualTo(FRAMES);
        assertThat(summary.get("framesDecoded").getAsInt()).isEqualTo(FRAMES);
        assertThat(summary.get("width").getAsInt()).isEqualTo(WIDTH);
        assertThat(summary.get("height").getAsInt()).isEqualTo(HEIGHT);
        assertThat(summary.get("codec").getAsString()).isEqualTo("h264");
        assertThat(summary.get("bytesFetched").getAsLong()).isEqualTo(size(clip));
        assertThat(summary.get("sizeBytes").getAsLong()).isEqualTo(size(clip));
        assertThat(summary.get("firstResultMs").getAsDouble()).isEqualTo(-1);
        assertThat(summary.get("budgetHit").getAsBoolean()).isFalse();
        assertThat(summary.get("error").isJsonNull()).isTrue();
        assertThat(stdout()).contains("first frame", "bound by", "h264 320x240");
    }

    @Test
    void frameSelectionOptionsReachTheDecoder() {
        assertThat(run(clip.toString(), "--stride", "4", "--max-frames", "5", "--summary-json", "--no-progress"))
                .isZero();

        assertThat(summary().get("frames").getAsInt()).isEqualTo(5);
    }

    @Test
    void withAModelOverHttpWritesResultsAndATimeline() throws IOException {
        URI uri = server.serve("/ball.mp4", clip);
        server.shape(2_000_000, Duration.ofMillis(10));
        Path results = dir.resolve("results.jsonl");
        Path timeline = dir.resolve("timeline.svg");

        int status = run(uri.toString(), "--model", model.toString(), "--size", "320x320", "--batch", "8",
                "--threads", "1", "--output", results.toString(), "--timeline", timeline.toString(),
                "--summary-json", "--no-progress");

        assertThat(status).as(stderr()).isZero();
        JsonObject summary = summary();
        assertThat(summary.get("frames").getAsInt()).isEqualTo(FRAMES);
        assertThat(summary.get("framesInferred").getAsInt()).isEqualTo(FRAMES);
        assertThat(summary.get("firstResultMs").getAsDouble()).isPositive();
        assertThat(summary.get("firstByteMs").getAsDouble()).isPositive();
        assertThat(summary.get("bytesFetched").getAsLong()).isEqualTo(size(clip));
        List<String> lines = Files.readAllLines(results);
        assertThat(lines).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            JsonObject frame = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            assertThat(frame.get("index").getAsInt()).isEqualTo(i);
            JsonObject box = frame.getAsJsonObject("models").getAsJsonObject(Models.OBJECTS).getAsJsonArray("boxes")
                    .get(0).getAsJsonObject();
            BallScene.Point truth = BallScene.center(i, WIDTH, HEIGHT);
            double x = (box.get("x1").getAsDouble() + box.get("x2").getAsDouble()) / 2;
            double y = (box.get("y1").getAsDouble() + box.get("y2").getAsDouble()) / 2;
            assertThat(Math.hypot(x - truth.x(), y - truth.y())).as("frame %d", i).isLessThanOrEqualTo(2.0);
        }
        assertThat(stdout()).contains("model objects  40 frames inferred, 0 filled");
        String svg = Files.readString(timeline);
        assertThat(svg).startsWith("<svg").contains("bytes (", "frames decoded (40)", "model calls (5)",
                "results (40)").endsWith("</svg>\n");
    }

    @Test
    void aKeypointModelBesideTheDetectorWritesBothModelsPerFrame() throws IOException {
        Path pitch = TestModels.writePitchMarks(dir.resolve("pitch.pt"));
        Path results = dir.resolve("two-models.jsonl");

        int status = run(clip.toString(), "--model", model.toString(), "--size", "320x320", "--batch", "8",
                "--keypoint-model", pitch.toString(), "--keypoint-size", "320x256", "--keypoint-stride", "4",
                "--threads", "1", "--output", results.toString(), "--summary-json", "--no-progress");

        assertThat(status).as(stderr()).isZero();
        assertThat(summary().get("framesInferred").getAsInt()).as("detector every frame, keypoints every 4th")
                .isEqualTo(FRAMES + FRAMES / 4);
        // Frames 37 to 39 lie past the last frame the keypoint model ran on: nothing fills them.
        assertThat(stdout()).contains("model objects  40 frames inferred, 0 filled\n",
                "model keypoints 10 frames inferred, 27 filled, 3 without an answer");
        List<String> lines = Files.readAllLines(results);
        assertThat(lines).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            JsonObject models = JsonParser.parseString(lines.get(i)).getAsJsonObject().getAsJsonObject("models");
            assertThat(models.getAsJsonObject(Models.OBJECTS).getAsJsonArray("boxes")).hasSize(1);
            assertThat(models.has(Models.KEYPOINTS)).as("frame %d", i).isEqualTo(i % 4 == 0);
            if (i % 4 == 0) {
                JsonObject crossing = models.getAsJsonObject(Models.KEYPOINTS).getAsJsonArray("keypoints").get(0)
                        .getAsJsonObject();
                assertThat(crossing.get("x").getAsDouble()).isCloseTo(159, org.assertj.core.data.Offset.offset(2.0));
                assertThat(crossing.get("y").getAsDouble()).isCloseTo(217, org.assertj.core.data.Offset.offset(2.0));
            }
        }
    }

    @Test
    void severalConnectionsFetchTheClipInParallelSegments() {
        // Big enough (about 2 MB) for segments beyond the first 128 KiB.
        byte[] big = TestVideo.create().optSize(640, 360).optFrames(50).optBitrate(8_000_000).toBytes();
        URI uri = server.serve("/parallel.mp4", big);

        int status = run(uri.toString(), "--connections", "4", "--summary-json", "--no-progress");

        assertThat(status).isZero();
        JsonObject summary = summary();
        assertThat(summary.get("frames").getAsInt()).isEqualTo(50);
        assertThat(summary.get("bytesFetched").getAsLong()).isEqualTo(big.length);
        assertThat(summary.get("requests").getAsInt()).isGreaterThan(1);
        // Besides the clip's reads, the one HEAD that opened a connection to the host while the pipeline warmed up.
        assertThat(server.stats("/parallel.mp4").requests()).filteredOn(request -> request.method().equals("GET"))
                .hasSize(summary.get("requests").getAsInt());
        assertThat(server.stats("/parallel.mp4").requests()).filteredOn(request -> request.method().equals("HEAD"))
                .hasSize(1);
        assertThat(summary.get("connectionsUsed").getAsInt()).isBetween(2, 4);
    }

    @Test
    void aThinnedSelectionFetchesOnlyEachGopUpToItsLastWantedFrame() {
        byte[] grainy = TestVideo.create().optSize(640, 360).optFrames(200).optGop(50).optBitrate(4_000_000)
                .optGrain(4).toBytes();
        URI uri = server.serve("/thinned.mp4", grainy);

        int status = run(uri.toString(), "--fps", "1", "--connections", "auto", "--summary-json", "--no-progress");

        assertThat(status).as(stderr()).isZero();
        JsonObject summary = summary();
        // One frame a second of 25: frames 0 and 25 of each GOP of 50, which needs the GOP's first half only (about
        // 55% of the file), plus what the first read over up to 8 connections brought before the plan was made.
        assertThat(summary.get("frames").getAsInt()).isEqualTo(8);
        assertThat(summary.get("sizeBytes").getAsLong()).isEqualTo(grainy.length);
        assertThat(summary.get("bytesFetched").getAsLong()).isLessThan(grainy.length * 17L / 20);
        assertThat(summary.get("rangeRequests").getAsInt()).isGreaterThan(1);
    }

    @Test
    void anHlsPlaylistIsAnalysedAsAnMp4UrlIs() throws IOException {
        Path hls = Files.createDirectories(dir.resolve("hls"));
        TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false).optSize(WIDTH, HEIGHT).optFrames(FRAMES)
                .optGop(20).optContainer(TestVideo.Container.HLS_TS).writeTo(hls.resolve("index.m3u8"));
        server.serveAll("/hls/", hls);
        URI master = server.serve("/hls/master.m3u8", ("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=500000,RESOLUTION="
                + WIDTH + "x" + HEIGHT + "\nindex.m3u8\n").getBytes(StandardCharsets.UTF_8));

        int status = run(master.toString(), "--model", model.toString(), "--size", "320x320",
                "--batch", "8", "--threads", "1", "--summary-json", "--no-progress");

        assertThat(status).as(stderr()).isZero();
        JsonObject summary = summary();
        assertThat(summary.get("frames").getAsInt()).isEqualTo(FRAMES);
        assertThat(summary.get("framesInferred").getAsInt()).isEqualTo(FRAMES);
        assertThat(summary.get("requests").getAsInt()).as("the playlists, then the segment").isEqualTo(3);
        assertThat(summary.get("hlsVariant").getAsString()).isEqualTo(server.uri("/hls/index.m3u8").toString());
        assertThat(summary.get("segmentsSkipped").getAsInt()).isZero();
    }

    @Test
    void anHttpErrorExitsWithOneAndStillPrintsTheSummary() {
        URI uri = server.serve("/gone.mp4", clip);
        server.fault("/gone.mp4", Fault.status(404));

        int status = run(uri.toString(), "--summary-json", "--no-progress");

        assertThat(status).isEqualTo(1);
        JsonObject summary = summary();
        assertThat(summary.get("frames").getAsInt()).isZero();
        assertThat(summary.get("error").getAsString()).startsWith("HttpStatusException: ").contains("404");
        assertThat(stderr().lines().toList()).containsExactly(
                "analyze: " + summary.get("error").getAsString());
    }

    @Test
    void aTruncatedFileKeepsTheFramesDoneSoFar() throws IOException {
        byte[] bytes = Files.readAllBytes(clip);
        Path truncated = Files.write(dir.resolve("truncated.mp4"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

        int status = run(truncated.toString(), "--summary-json", "--no-progress");

        JsonObject summary = summary();
        // A faststart clip cut in half still decodes its first half; how it ends is the summary's to say.
        assertThat(summary.get("frames").getAsInt()).isPositive().isLessThan(FRAMES);
        assertThat(status).isEqualTo(summary.get("error").isJsonNull() ? 0 : 1);
    }

    @Test
    void aBudgetCutsTheClipAndSaysSo() {
        URI uri = server.serve("/slow.mp4", clip);
        server.shape(size(clip) / 2, Duration.ofMillis(10));

        int status = run(uri.toString(), "--budget", "700ms", "--summary-json", "--no-progress");

        assertThat(status).isZero();
        JsonObject summary = summary();
        assertThat(summary.get("budgetHit").getAsBoolean()).isTrue();
        assertThat(summary.get("frames").getAsInt()).isLessThan(FRAMES);
    }

    @Test
    void aWrongCommandLineExitsWithTwoAndSaysWhy() {
        assertThat(run(clip.toString(), "--strid", "2")).isEqualTo(2);
        assertThat(stderr()).startsWith("Unknown options: '--strid', '2'").contains("Possible solutions: --stride");
        assertThat(run()).isEqualTo(2);
        assertThat(stderr()).startsWith("Missing required parameter: 'url-or-file'").contains("Usage: analyze");
        assertThat(run(clip.toString(), "--size", "640")).isEqualTo(2);
        assertThat(stderr()).startsWith("Invalid value for option '--size': expected WxH such as 640x640");
        assertThat(run(clip.toString(), "--model", dir.resolve("none.pt").toString())).isEqualTo(2);
        assertThat(run("http://exa mple.com/x.mp4")).isEqualTo(2);
        assertThat(run("ftp://example.com/x.mp4")).isEqualTo(2);
        assertThat(stderr()).startsWith("analyze: ").contains("unsupported scheme").contains("Usage: analyze");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void helpAndVersionGoToStdoutWithStatusZero() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).startsWith("Usage: analyze").contains("--budget=2s", "--keypoint-model=k.pt",
                "--connections=N|auto", "--summary-json");
        assertThat(run("--version")).isZero();
        assertThat(stdout()).startsWith("reelflux-examples ");
    }

    @Test
    void optionsNotOnTheCommandLineComeFromTheEnvironment() {
        // REELFLUX_STRIDE is not set in this JVM: the command line's own parse gets its default from a map.
        AnalyzeCommand command = new AnalyzeCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        picocli.CommandLine line = Main.commandLine(command, System.out, System.err,
                java.util.Map.of("REELFLUX_STRIDE", "5", "REELFLUX_NO_PROGRESS", "true"), new String[] {"x.mp4"});
        line.parseArgs("x.mp4", "--threads", "2");

        PipelineOptions options = (PipelineOptions) line.getCommandSpec().mixins().get("options").userObject();
        assertThat(options.stride()).isEqualTo(5);
        assertThat(options.threads()).contains(2);
    }

    @Test
    void aModelThatDoesNotLoadExitsWithOneAndATypedError() throws IOException {
        Path notAModel = Files.writeString(dir.resolve("broken.pt"), "not a zip");

        assertThat(run(clip.toString(), "--model", notAModel.toString(), "--summary-json", "--no-progress"))
                .isEqualTo(1);
        assertThat(summary().get("error").getAsString()).startsWith("ModelLoadException: ");
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return new AnalyzeCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private JsonObject summary() {
        List<String> lines = stdout().lines().toList();
        return JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
