package dev.reelflux.examples;

import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.examples.ChallengeClient.Response;
import dev.reelflux.inference.testing.TestModels;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.reelflux.examples.ChallengeClient.challenge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code serve} facing untrusted callers: {@code --token-file}, {@code --refuse-private}, {@code --request-timeout},
 * all from the command line as an operator would start it. Every refusal is JSON.
 */
@ExtendWith(NativeLeakGate.class)
class ServiceSecurityTest {

    private static final String TOKEN = "t0k3n-for-tests";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static TestHttpServer cdn;
    private static ServeCommand.Running service;

    @BeforeAll
    static void start() throws IOException {
        Path model = TestModels.writeBallPose(dir.resolve("pose.pt"));
        Path tokens = Files.writeString(dir.resolve("tokens"), "# rotated monthly\nold-token\n\n" + TOKEN + "\n");
        service = new ServeCommand(Map.of("REELFLUX_TOKEN_FILE", tokens.toString()),
                new PrintStream(new ByteArrayOutputStream())).start(new String[] {"--port", "0", "--host",
                "127.0.0.1", "--model", model.toString(), "--size", "320x320", "--batch", "8", "--threads", "1",
                "--keypoints", String.valueOf(TestModels.POSE_KEYPOINTS), "--refuse-private",
                "--request-timeout", "1s"});
        cdn = TestHttpServer.start();
    }

    @AfterAll
    static void stop() {
        cdn.close();
        service.close();
    }

    @Test
    void withoutTheTokenTheChallengeIs401AndHealthStaysOpen() {
        String body = challenge("c", "http://example.com/a.mp4");

        for (String authorization : new String[] {null, "Bearer wrong", "Basic " + TOKEN, "Bearer", TOKEN}) {
            Response refused = post(body, authorization);
            assertThat(refused.status()).as(authorization).isEqualTo(401);
            assertThat(refused.errorType()).isEqualTo("Unauthorized");
        }
        assertThat(get("/health").status()).isEqualTo(200);
        assertThat(post(body, "Bearer old-token").status()).as("any token of the file").isNotEqualTo(401);
    }

    @Test
    void aVideoOnTheServicesOwnNetworkIs403AlsoBehindARedirect() {
        byte[] clip = TestVideo.create().optSize(160, 120).optFrames(5).toBytes();
        URI direct = cdn.serve("/inside.mp4", clip);
        URI redirected = cdn.redirect("/moved.mp4", direct.toString(), 302);

        for (URI video : List.of(direct, redirected)) {
            Response refused = post(challenge("p", video.toString()), "Bearer " + TOKEN);
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(refused.errorType()).isEqualTo("AddressRefusedException");
            assertThat(refused.errorMessage()).contains("127.0.0.1 (loopback)");
        }
        assertThat(cdn.stats("/inside.mp4").requests()).as("nothing fetched").isEmpty();
        assertThat(cdn.connectionsOpened()).isZero();
    }

    @Test
    void aConfigFileKeyThatNamesNoOptionStopsTheServiceBeforeItLoadsAnything() throws IOException {
        Path config = Files.writeString(dir.resolve("typo.properties"), "max-concurent=8\n");

        assertThatThrownBy(() -> new ServeCommand(Map.of(), new PrintStream(new ByteArrayOutputStream()))
                .start("--config", config.toString(), "--model", dir.resolve("pose.pt").toString()))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown key 'max-concurent'");
    }

    @Test
    void aBodyThatTricklesIsCutAt408() {
        // Half a body, then nothing: the slot must not be held by a caller that never finishes.
        Flux<String> trickle = Flux.concat(Mono.just("{\"challenge_id\": \"slow\", "), Mono.never());
        long start = System.nanoTime();
        Response response = client("Bearer " + TOKEN).post().uri(uri(ChallengeService.PATH))
                .send(ByteBufFlux.fromString(trickle))
                .responseSingle((r, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new Response(r.status().code(), text)))
                .block(WAIT);

        assertThat(response.status()).as(response.body()).isEqualTo(408);
        assertThat(response.errorType()).isEqualTo("RequestTimeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aHundredMalformedBodiesGet400NeverA500() {
        List<String> bodies = malformedBodies(new Random(20261205), 100);

        for (String body : bodies) {
            Response response = post(body, "Bearer " + TOKEN);
            assertThat(response.status()).as("%.120s -> %s", body, response.body()).isEqualTo(400);
            assertThat(response.errorType()).isEqualTo("BadRequest");
        }
    }

    /** Fuzzed JSON, wrong types, huge strings, deep nesting, and URLs the service must not take. */
    static List<String> malformedBodies(Random random, int count) {
        String valid = challenge("c-1", "http://video.example/clip.mp4");
        List<String> wrongValues = List.of("null", "true", "12", "[]", "{}", "[\"http://video.example/a.mp4\"]",
                "{\"url\": \"http://video.example/a.mp4\"}", "\"\"", "\"   \"", "\"ftp://video.example/a.mp4\"",
                "\"http://\"", "\"http:///a.mp4\"", "\"javascript:alert(1)\"", "\"file:///etc/passwd\"",
                "\"http://exa mple.com/a.mp4\"", "\"video.example/a.mp4\"", "1e999");
        List<String> bodies = new ArrayList<>();
        while (bodies.size() < count) {
            switch (bodies.size() % 7) {
                case 0 -> bodies.add(valid.substring(0, random.nextInt(valid.length() - 1)));
                case 1 -> bodies.add("{\"challenge_id\": \"c\", \"video_url\": "
                        + wrongValues.get(random.nextInt(wrongValues.size())) + "}");
                case 2 -> bodies.add("{\"challenge_id\": " + wrongValues.get(random.nextInt(6))
                        + ", \"video_url\": \"http://video.example/a.mp4\"}");
                case 3 -> bodies.add("{\"challenge_id\": \"" + "x".repeat(20_000 + random.nextInt(40_000))
                        + "\", \"video_url\": \"gopher://" + "y".repeat(random.nextInt(100)) + "\"}");
                case 4 -> {
                    int depth = 200 + random.nextInt(30_000);
                    bodies.add("{\"challenge_id\": " + "[".repeat(depth) + "]".repeat(depth) + "}");
                }
                case 5 -> {
                    byte[] noise = new byte[1 + random.nextInt(2000)];
                    random.nextBytes(noise);
                    bodies.add(new String(noise, StandardCharsets.ISO_8859_1));
                }
                default -> bodies.add(List.of("", "[]", "42", "\"text\"", "null", "{\"challenge_id\": \"c\"}",
                        "{\"video_url\": \"http://video.example/a.mp4\"}", "{\"challenge_id\": \"c\",,}",
                        "{\"challenge_id\": \"\\uZZZZ\"}", "{\"challenge_id\": NaN, \"video_url\": 1}")
                        .get(random.nextInt(10)));
            }
        }
        return bodies;
    }

    private static Response post(String body, String authorization) {
        return client(authorization).post().uri(uri(ChallengeService.PATH))
                .send(ByteBufFlux.fromString(Mono.just(body), StandardCharsets.ISO_8859_1,
                        io.netty.buffer.ByteBufAllocator.DEFAULT))
                .responseSingle((r, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new Response(r.status().code(), text)))
                .block(WAIT);
    }

    private static Response get(String path) {
        return client(null).get().uri(uri(path))
                .responseSingle((r, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new Response(r.status().code(), text)))
                .block(WAIT);
    }

    private static HttpClient client(String authorization) {
        return HttpClient.create().responseTimeout(WAIT).headers(headers -> {
            if (authorization != null) {
                headers.set(HttpHeaderNames.AUTHORIZATION, authorization);
            }
        });
    }

    private static String uri(String path) {
        return "http://127.0.0.1:" + service.server().port() + path;
    }
}
