package dev.reelflux.examples;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.reelflux.decoders.testing.NativeLeakGate;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.examples.ChallengeClient.Response;
import dev.reelflux.core.testing.Fault;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.testing.BallScene;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.inference.ObjectTracker;
import dev.reelflux.inference.testing.TestModels;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.reelflux.examples.ChallengeClient.challenge;
import static dev.reelflux.examples.ChallengeClient.post;
import static dev.reelflux.examples.ChallengeClient.postAsync;
import static org.assertj.core.api.Assertions.assertThat;

/** The challenge service over real HTTP: started as {@code serve} starts it, with the pose test model. */
@ExtendWith(NativeLeakGate.class)
class ChallengeServiceTest {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final int FRAMES = 30;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static byte[] clip;
    private static TestHttpServer cdn;
    private static ServeCommand.Running service;

    @BeforeAll
    static void start() throws IOException {
        clip = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false).optSize(WIDTH, HEIGHT)
                .optFrames(FRAMES).optGop(15).toBytes();
        Path model = TestModels.writeBallPose(dir.resolve("pose.pt"));
        // Knobs from all three places: the file sets the batch, the environment the input size, the command line
        // the rest.
        Path config = Files.writeString(dir.resolve("serve.properties"), "batch=8\nmax-concurrent=2\n");
        Map<String, String> environment = Map.of("REELFLUX_SIZE", "320x320", "REELFLUX_MAX_CONCURRENT", "3");
        service = new ServeCommand(environment, new PrintStream(new ByteArrayOutputStream())).start(new String[] {
                "--port", "0", "--host", "127.0.0.1", "--model", model.toString(), "--config", config.toString(),
                "--keypoints", String.valueOf(TestModels.POSE_KEYPOINTS), "--threads", "1"});
        cdn = TestHttpServer.start();
    }

    @AfterAll
    static void stop() {
        cdn.close();
        service.close();
    }

    @Test
    void answersEveryFrameInOrderWithTrackedBoxesInSourcePixelsAndPaddedKeypoints() {
        URI video = cdn.serve("/match.mp4", clip);

        Response response = post(service.server(), challenge("c-1", video.toString()));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonObject json = response.json();
        assertThat(json.get("challenge_id").getAsString()).isEqualTo("c-1");
        assertThat(json.get("processing_time").getAsDouble()).isPositive().isLessThan(WAIT.toSeconds());
        assertThat(json.has("error")).isFalse();
        JsonArray frames = json.getAsJsonArray("frames");
        assertThat(frames).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            JsonObject frame = frames.get(i).getAsJsonObject();
            assertThat(frame.get("frame_number").getAsInt()).isEqualTo(i);
            JsonArray objects = frame.getAsJsonArray("objects");
            assertThat(objects).as("frame %d", i).hasSize(1);
            JsonObject ball = objects.get(0).getAsJsonObject();
            assertThat(ball.get("id").getAsInt()).as("one ball, one track id").isEqualTo(1);
            assertThat(ball.get("class_id").getAsInt()).isZero();
            JsonArray bbox = ball.getAsJsonArray("bbox");
            BallScene.Point truth = BallScene.center(i, WIDTH, HEIGHT);
            double cx = (bbox.get(0).getAsDouble() + bbox.get(2).getAsDouble()) / 2;
            double cy = (bbox.get(1).getAsDouble() + bbox.get(3).getAsDouble()) / 2;
            assertThat(Math.hypot(cx - truth.x(), cy - truth.y())).as("frame %d", i).isLessThanOrEqualTo(2.0);
            JsonArray keypoints = frame.getAsJsonArray("keypoints");
            assertThat(keypoints).hasSize(TestModels.POSE_KEYPOINTS);
            // Keypoint 0 is the ball's centre; keypoint 2 is never detected, so it is [0, 0].
            assertThat(keypoints.get(0).getAsJsonArray().get(0).getAsDouble()).isCloseTo(cx, within(2.0));
            assertThat(keypoints.get(2)).isEqualTo(JsonParser.parseString("[0.0, 0.0]"));
        }
    }

    @Test
    void badRequestsGet400WithTheReason() {
        assertThat(post(service.server(), "{\"challenge_id\": \"c\", ")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.errorMessage()).isEqualTo("body is not valid JSON");
        });
        assertThat(post(service.server(), "{\"challenge_id\": \"c\"}").errorMessage())
                .isEqualTo("missing field video_url");
        assertThat(post(service.server(), "{\"video_url\": \"http://example.com/a.mp4\"}").errorMessage())
                .isEqualTo("missing field challenge_id");
        assertThat(post(service.server(), challenge("c", "ftp://example.com/a.mp4")).errorMessage())
                .isEqualTo("video_url must be an http or https URL");
        assertThat(post(service.server(), "[1, 2]").status()).isEqualTo(400);
        assertThat(post(service.server(), "").status()).isEqualTo(400);
        assertThat(post(service.server(), "x".repeat(70_000)).status()).isEqualTo(413);
    }

    @Test
    void aVideoThatFailsGetsAJsonErrorWithItsType() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Response unreachable = post(service.server(), challenge("c-2", "http://127.0.0.1:" + closedPort + "/a.mp4"));
        assertThat(unreachable.status()).isEqualTo(502);
        assertThat(unreachable.json().get("challenge_id").getAsString()).isEqualTo("c-2");
        assertThat(unreachable.errorType()).isEqualTo("ConnectFailedException");

        URI gone = cdn.serve("/gone.mp4", clip);
        cdn.fault("/gone.mp4", Fault.status(404));
        assertThat(post(service.server(), challenge("c-3", gone.toString())).errorType())
                .isEqualTo("HttpStatusException");

        URI notVideo = cdn.serve("/page.mp4", "<html>not a video</html>".getBytes());
        Response undecodable = post(service.server(), challenge("c-4", notVideo.toString()));
        assertThat(undecodable.status()).isEqualTo(422);
        assertThat(undecodable.errorType()).isEqualTo("InvalidMediaException");
    }

    @Test
    void concurrentRequestsAllComeBackWhole() {
        URI video = cdn.serve("/shared.mp4", clip);

        List<Response> responses = Flux.fromStream(IntStream.range(0, 3).boxed())
                .flatMap(i -> postAsync(service.server(), challenge("c-" + i, video.toString())))
                .collectList().block(WAIT);

        assertThat(responses).hasSize(3).allSatisfy(r -> {
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().getAsJsonArray("frames")).hasSize(FRAMES);
        });
        assertThat(responses).extracting(r -> r.json().get("challenge_id").getAsString())
                .containsExactlyInAnyOrder("c-0", "c-1", "c-2");
    }

    @Test
    void pastTheConcurrencyLimitRequestsGet503() {
        URI slow = cdn.serve("/slow.mp4", clip);
        cdn.shape(clip.length / 2, Duration.ofMillis(10));
        DisposableServer single = new ChallengeService(clips(analysis(), HttpSettings.create()),
                ServiceGuards.open(1), null).start("127.0.0.1", 0);
        try {
            Mono<Response> first = postAsync(single, challenge("long", slow.toString())).cache();
            first.subscribe();
            Waits.until(() -> !cdn.stats("/slow.mp4").requests().isEmpty(), WAIT, "the slow clip requested");

            Response refused = post(single, challenge("second", slow.toString()));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.errorType()).isEqualTo("Busy");
            assertThat(first.block(WAIT).status()).isEqualTo(200);
            assertThat(post(single, challenge("third", cdn.serve("/fast.mp4", clip).toString())).status())
                    .as("a slot is free again").isEqualTo(200);
        } finally {
            cdn.shape(0, Duration.ZERO);
            single.disposeNow();
        }
    }

    @Test
    void aVideoOverTheLargestSizeIs413() {
        URI video = cdn.serve("/large.mp4", clip);
        DisposableServer capped = new ChallengeService(
                clips(analysis(), HttpSettings.create().optMaxSize(clip.length - 1)), ServiceGuards.open(2), null)
                .start("127.0.0.1", 0);
        try {
            Response refused = post(capped, challenge("big", video.toString()));
            assertThat(refused.status()).as(refused.body()).isEqualTo(413);
            assertThat(refused.errorType()).isEqualTo("SizeLimitException");
            assertThat(refused.errorMessage()).contains(String.valueOf(clip.length - 1));
        } finally {
            capped.disposeNow();
        }
    }

    @Test
    void metricsAreScrapedInPrometheusFormat() {
        URI video = cdn.serve("/metered.mp4", clip);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DisposableServer metered = new ChallengeService(
                clips(analysis().optMetrics(registry), HttpSettings.create().optMetrics(registry)),
                ServiceGuards.open(2), registry).start("127.0.0.1", 0);
        try {
            assertThat(post(metered, challenge("m", video.toString())).status()).isEqualTo(200);

            String scrape = HttpClient.create().get().uri("http://127.0.0.1:" + metered.port() + "/metrics")
                    .responseSingle((response, body) -> body.asString()).block(WAIT);
            assertThat(scrape).contains("reelflux_clips_total{error=\"none\",outcome=\"completed\"} 1.0",
                    "reelflux_frames_total{stage=\"inferred\"} " + FRAMES + ".0",
                    "reelflux_clip_latency_seconds_count{to=\"first_result\"} 1",
                    "reactor_netty_http_client_data_received_bytes");
        } finally {
            metered.disposeNow();
            Metrics.globalRegistry.remove(registry);
        }
    }

    /** The service's models with other settings; not closed, as the models are the service's. */
    private static Clips clips(dev.reelflux.inference.VideoAnalysis analysis, HttpSettings http) {
        return new Clips(analysis, new ChallengeAnswers(ObjectTracker.create(), Models.OBJECTS, 0, true, 0), http,
                service.clips().models());
    }

    private static dev.reelflux.inference.VideoAnalysis analysis() {
        return ParsedOptions.pipeline("--model", dir.resolve("pose.pt").toString(), "--size", "320x320",
                "--batch", "8", "--threads", "1").analysis(service.clips().models());
    }

    private static org.assertj.core.data.Offset<Double> within(double offset) {
        return org.assertj.core.data.Offset.offset(offset);
    }
}
