package dev.reelflux.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class TestHttpServerShapingTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void bodyIsPacedAtTheRate() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", Content.synthetic(1 << 20));
            server.shape(2 << 20, Duration.ZERO);

            long start = System.nanoTime();
            HttpResponse<byte[]> response = client.send(get(uri), BodyHandlers.ofByteArray());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(response.body()).hasSize(1 << 20);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    @Test
    void firstByteLatencyDelaysTheHeaders() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", new byte[] {1});
            server.shape(0, Duration.ofMillis(300));

            long start = System.nanoTime();
            HttpResponse<byte[]> response = client.send(get(uri), BodyHandlers.ofByteArray());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void aRateChangeAppliesToBodiesInFlight() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            // 4 MB at 100 KB/s would take 40 s.
            URI uri = server.serve("/clip", Content.synthetic(4 << 20));
            server.shape(100 << 10, Duration.ZERO);

            CompletableFuture<HttpResponse<byte[]>> response = client.sendAsync(get(uri), BodyHandlers.ofByteArray());
            Thread.sleep(300);
            long early = server.stats("/clip").bytesSent();
            server.shape(0, Duration.ZERO);

            assertThat(early).isBetween(1L, 1L << 20);
            assertThat(response.get().body()).hasSize(4 << 20);
        }
    }

    @Test
    void aReaderThatStopsStopsTheServer() throws Exception {
        long size = 200L << 20;
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/big", Content.synthetic(size));

            try (RawHttp raw = RawHttp.connect(uri, Duration.ofSeconds(10)).send("GET", uri)) {
                assertThat(raw.readHead().headers()).containsEntry("content-length", Long.toString(size));
                raw.readBytes(64 << 10);

                long sent = awaitPlateau(server, "/big");

                assertThat(sent).isBetween(64L << 10, 16L << 20);
            }
        }
    }

    /**
     * Waits until the path's bytesSent stays still for 300 ms, or 5 s at most, and returns it.
     */
    private static long awaitPlateau(TestHttpServer server, String path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long previous = -1;
        long current = server.stats(path).bytesSent();
        while (current != previous && System.nanoTime() < deadline) {
            Thread.sleep(300);
            previous = current;
            current = server.stats(path).bytesSent();
        }
        return current;
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
    }
}
