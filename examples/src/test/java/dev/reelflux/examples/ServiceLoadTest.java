package dev.reelflux.examples;

import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.examples.ChallengeClient.Response;
import dev.reelflux.inference.testing.TestModels;
import io.netty.util.ResourceLeakDetector;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.reelflux.examples.ChallengeClient.challenge;
import static dev.reelflux.examples.ChallengeClient.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code serve} under load, tagged {@code load} and run on its own (see the README): a burst of 64 requests against
 * four clip slots, then 200 clips one after another while {@code /health} is polled. Prints its figures.
 */
@Tag("load")
class ServiceLoadTest {

    private static final int SLOTS = 4;
    private static final int BURST = 64;
    private static final int CLIPS = 200;
    private static final int SETTLED = 20;

    @TempDir
    Path dir;

    @Test
    void aBurstGets503AtOnceAndAStreamOfClipsLeavesMemoryFlat() throws Exception {
        // The figures are latencies: paranoid leak detection (the other tests' setting) records a stack trace at every
        // buffer access, which would be most of what is measured. Leaks are the other tests' job.
        ResourceLeakDetector.Level tests = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        try {
            run();
        } finally {
            ResourceLeakDetector.setLevel(tests);
        }
    }

    private void run() throws IOException {
        byte[] clip = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false).optSize(320, 240)
                .optFrames(30).optGop(15).toBytes();
        Path model = TestModels.writeBallPose(dir.resolve("pose.pt"));
        try (TestHttpServer cdn = TestHttpServer.start();
             ServeCommand.Running service = new ServeCommand(Map.of(), new PrintStream(new ByteArrayOutputStream()))
                     .start(new String[] {"--port", "0", "--host", "127.0.0.1", "--model", model.toString(),
                             "--size", "320x320", "--batch", "8", "--threads", "1", "--max-concurrent",
                             String.valueOf(SLOTS)})) {
            burst(cdn, service, clip);
            stream(cdn, service, clip);
        }
    }

    private void burst(TestHttpServer cdn, ServeCommand.Running service, byte[] clip) {
        // 64 callers with a connection each, open already, and a service past its first requests (its JIT warm), as
        // for a service that runs all day: the figure is its answer, not TCP handshakes or a client pool's queue.
        ConnectionProvider connections = ConnectionProvider.create("load-test", BURST);
        HttpClient callers = HttpClient.create(connections).responseTimeout(ChallengeClient.WAIT);
        for (int round = 0; round < 20; round++) {
            Flux.range(0, BURST).flatMap(i -> postStatus(callers, service, "not json"), BURST)
                    .blockLast(ChallengeClient.WAIT);
        }
        // Slow enough that the admitted clips are still running when the last request of the burst arrives.
        URI slow = cdn.serve("/slow.mp4", clip);
        cdn.shape(clip.length, Duration.ofMillis(10));
        List<long[]> timed = Flux.range(0, BURST)
                .flatMap(i -> {
                    long start = System.nanoTime();
                    return postStatus(callers, service, challenge("b-" + i, slow.toString()))
                            .map(status -> new long[] {status, System.nanoTime() - start});
                }, BURST)
                .collectList().block(ChallengeClient.WAIT);
        cdn.shape(0, Duration.ZERO);
        connections.disposeLater().block(ChallengeClient.WAIT);

        List<Double> busyMs = timed.stream().filter(t -> t[0] == 503).map(t -> t[1] / 1e6).sorted().toList();
        long ok = timed.stream().filter(t -> t[0] == 200).count();
        System.out.printf("burst: %d requests, %d slots: %d answered 200, %d got 503 (median %.1f ms, max %.1f ms);"
                        + " clip requests at the source: %d%n", BURST, SLOTS, ok, busyMs.size(),
                busyMs.get(busyMs.size() / 2), busyMs.get(busyMs.size() - 1), cdn.stats("/slow.mp4").requests()
                        .stream().filter(r -> r.method().equals("GET")).count());
        assertThat(ok).isEqualTo(SLOTS);
        assertThat(busyMs).hasSize(BURST - SLOTS).allSatisfy(ms -> assertThat(ms).isLessThan(50.0));
    }

    private void stream(TestHttpServer cdn, ServeCommand.Running service, byte[] clip) throws IOException {
        URI video = cdn.serve("/clip.mp4", clip);
        List<Double> health = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        HttpClient client = HttpClient.create();
        Thread poller = new Thread(() -> {
            while (running.get()) {
                long start = System.nanoTime();
                Integer status = client.get().uri("http://127.0.0.1:" + service.server().port() + "/health")
                        .responseSingle((r, body) -> body.then(Mono.just(r.status().code())))
                        .block(ChallengeClient.WAIT);
                assertThat(status).isEqualTo(200);
                health.add((System.nanoTime() - start) / 1e6);
                sleep(20);
            }
        }, "health-poller");
        poller.start();
        long settledNative = 0;
        long settledResident = 0;
        for (int i = 0; i < CLIPS; i++) {
            Response response = post(service.server(), challenge("s-" + i, video.toString()));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            if (i + 1 == SETTLED) {
                settledNative = Pointer.totalBytes();
                settledResident = residentBytes();
            }
        }
        running.set(false);
        sleep(100);
        long endNative = Pointer.totalBytes();
        long endResident = residentBytes();
        List<Double> sorted = new ArrayList<>(health);
        Collections.sort(sorted);
        double p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
        System.out.printf("stream: %d clips; after %d: JavaCPP %.1f MB, resident %.0f MB; after %d: JavaCPP %.1f MB,"
                        + " resident %.0f MB; /health %d polls, median %.1f ms, p99 %.1f ms%n", CLIPS, SETTLED,
                settledNative / 1e6, settledResident / 1e6, CLIPS, endNative / 1e6, endResident / 1e6,
                sorted.size(), sorted.get(sorted.size() / 2), p99);
        assertThat((double) endNative).isLessThanOrEqualTo(settledNative * 1.1);
        assertThat((double) endResident).isLessThanOrEqualTo(settledResident * 1.1);
        assertThat(p99).isLessThan(50.0);
    }

    private static Mono<Integer> postStatus(HttpClient client, ServeCommand.Running service, String body) {
        return client.post().uri("http://127.0.0.1:" + service.server().port() + ChallengeService.PATH)
                .send(ByteBufMono.fromString(Mono.just(body)))
                .responseSingle((response, content) -> content.then(Mono.just(response.status().code())));
    }

    /** The process's resident set, from {@code /proc} (Linux). */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
