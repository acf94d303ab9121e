package dev.reelflux.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TestHttpServerTest {

    private static final Content HUNDRED = Content.synthetic(100, 7);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void getAnswersTheWholeBodyWithLengthAndAcceptRanges() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", HUNDRED);

            HttpResponse<byte[]> response = client.send(get(uri).build(), BodyHandlers.ofByteArray());

            assertThat(uri).isEqualTo(URI.create("http://127.0.0.1:" + uri.getPort() + "/clip"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(HUNDRED.bytes(0, 100));
            assertThat(response.headers().firstValue("content-length")).hasValue("100");
            assertThat(response.headers().firstValue("accept-ranges")).hasValue("bytes");
            assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
        }
    }

    @Test
    void headAnswersHeadersOnly() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", HUNDRED);

            HttpResponse<byte[]> response = client.send(
                    get(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.ofByteArray());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEmpty();
            assertThat(response.headers().firstValue("content-length")).hasValue("100");
            assertThat(response.headers().firstValue("accept-ranges")).hasValue("bytes");
            assertThat(server.stats("/clip").requests()).singleElement()
                    .satisfies(log -> assertThat(log.method()).isEqualTo("HEAD"))
                    .satisfies(log -> assertThat(log.bytesSent()).isZero());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "bytes=10-19,  10, 19",
            "bytes=90-,    90, 99",
            "bytes=-5,     95, 99",
            "bytes=95-500, 95, 99",
            "bytes=-500,    0, 99",
            "BYTES=0-0,     0,  0",
    })
    void rangeGetsA206WithContentRange(String range, int first, int last) throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", HUNDRED);

            HttpResponse<byte[]> response = client.send(get(uri).header("Range", range).build(),
                    BodyHandlers.ofByteArray());

            assertThat(response.statusCode()).isEqualTo(206);
            assertThat(response.body()).isEqualTo(HUNDRED.bytes(first, last - first + 1));
            assertThat(response.headers().firstValue("content-range"))
                    .hasValue("bytes " + first + "-" + last + "/100");
            assertThat(response.headers().firstValue("content-length")).hasValue(Integer.toString(last - first + 1));
            assertThat(response.headers().firstValue("accept-ranges")).hasValue("bytes");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=100-", "bytes=100-200", "bytes=-0"})
    void unsatisfiableRangeGets416(String range) throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", HUNDRED);

            HttpResponse<byte[]> response = client.send(get(uri).header("Range", range).build(),
                    BodyHandlers.ofByteArray());

            assertThat(response.statusCode()).isEqualTo(416);
            assertThat(response.headers().firstValue("content-range")).hasValue("bytes */100");
            assertThat(response.body()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-9,20-29", "bytes=9-0", "items=0-9", "bytes=a-b", "bytes=5"})
    void multiRangeOrMalformedRangeGetsTheWholeBody(String range) throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", HUNDRED);

            HttpResponse<byte[]> response = client.send(get(uri).header("Range", range).build(),
                    BodyHandlers.ofByteArray());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(HUNDRED.bytes(0, 100));
        }
    }

    @Test
    void sequentialRequestsReuseOneKeptAliveConnection() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", HUNDRED);
            HttpClient pooled = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            for (int i = 0; i < 20; i++) {
                assertThat(pooled.send(get(uri).header("Range", "bytes=" + i + "-").build(),
                        BodyHandlers.ofByteArray()).body()).hasSize(100 - i);
            }

            PathStats stats = server.stats("/clip");
            assertThat(server.connectionsOpened()).isEqualTo(1);
            assertThat(stats.connectionsOpened()).isEqualTo(1);
            assertThat(stats.requests()).hasSize(20)
                    .allSatisfy(log -> assertThat(log.connectionId()).isEqualTo(1))
                    .allSatisfy(log -> assertThat(log.protocol()).isEqualTo("HTTP/1.1"));
        }
    }

    @Test
    void separateClientsOpenSeparateConnections() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", HUNDRED);

            client.send(get(uri).build(), BodyHandlers.discarding());
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(get(uri).build(), BodyHandlers.discarding());

            assertThat(server.connectionsOpened()).isEqualTo(2);
            assertThat(server.stats("/clip").requests()).extracting(RequestLog::connectionId).containsExactly(1L, 2L);
        }
    }

    @Test
    void statsRecordEachRequest() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", HUNDRED);

            client.send(get(uri).build(), BodyHandlers.discarding());
            client.send(get(URI.create(uri + "?token=x")).header("Range", "bytes=10-19").build(),
                    BodyHandlers.discarding());

            PathStats stats = server.stats("/clip");
            assertThat(stats.requests()).containsExactly(
                    new RequestLog("GET", "/clip", null, 200, 100, "HTTP/1.1", 1),
                    new RequestLog("GET", "/clip", "bytes=10-19", 206, 10, "HTTP/1.1", 1));
            assertThat(stats.bytesSent()).isEqualTo(110);
            assertThat(server.stats("/never-asked")).isEqualTo(new PathStats(java.util.List.of(), 0, 1));
        }
    }

    @Test
    void syntheticContentArrivesWithItsSha256() throws Exception {
        Content content = Content.synthetic(5_000_003, 42);
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/big", content);

            byte[] body = client.send(get(uri).build(), BodyHandlers.ofByteArray()).body();

            assertThat(body).hasSize(5_000_003);
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)))
                    .isEqualTo(content.sha256());
            assertThat(server.stats("/big").bytesSent()).isEqualTo(5_000_003);
        }
    }

    @Test
    void servesFilesAndArrays(@TempDir Path dir) throws Exception {
        byte[] bytes = Content.synthetic(300_000, 3).bytes(0, 300_000);
        Path file = Files.write(dir.resolve("clip.bin"), bytes);
        try (TestHttpServer server = TestHttpServer.start()) {
            URI fromFile = server.serve("/file", file);
            byte[] array = bytes.clone();
            URI fromArray = server.serve("array", array);
            Arrays.fill(array, (byte) 0);

            assertThat(client.send(get(fromFile).build(), BodyHandlers.ofByteArray()).body()).isEqualTo(bytes);
            assertThat(client.send(get(fromFile).header("Range", "bytes=1000-1999").build(),
                    BodyHandlers.ofByteArray()).body()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 2000));
            assertThat(fromArray.getPath()).isEqualTo("/array");
            assertThat(client.send(get(fromArray).build(), BodyHandlers.ofByteArray()).body()).isEqualTo(bytes);
        }
    }

    @Test
    void emptyContentIsServed() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/empty", new byte[0]);

            HttpResponse<byte[]> response = client.send(get(uri).build(), BodyHandlers.ofByteArray());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEmpty();
            assertThat(client.send(get(uri).header("Range", "bytes=0-").build(), BodyHandlers.discarding())
                    .statusCode()).isEqualTo(416);
        }
    }

    @Test
    void serveReplacesThePathsContent() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", new byte[] {1});
            server.serve("/clip", new byte[] {2, 3});

            assertThat(client.send(get(uri).build(), BodyHandlers.ofByteArray()).body()).containsExactly(2, 3);
        }
    }

    @Test
    void unknownPathGets404AndOtherMethods405() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", HUNDRED);

            HttpResponse<String> missing = client.send(get(server.uri("/missing")).build(), BodyHandlers.ofString());
            HttpResponse<String> post = client.send(
                    get(uri).POST(HttpRequest.BodyPublishers.ofString("x")).build(), BodyHandlers.ofString());

            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("/missing");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
            assertThat(server.stats("/missing").requests()).extracting(RequestLog::status).containsExactly(404);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void redirectAnswersLocation(int status) throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI target = server.serve("/target", HUNDRED);
            URI relative = server.redirect("/relative", "/target", status);
            URI absolute = server.redirect("/absolute", target.toString(), status);

            HttpResponse<Void> notFollowed = client.send(get(relative).build(), BodyHandlers.discarding());
            HttpClient following = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();

            assertThat(notFollowed.statusCode()).isEqualTo(status);
            assertThat(notFollowed.headers().firstValue("location")).hasValue("/target");
            assertThat(following.send(get(relative).build(), BodyHandlers.ofByteArray()).body()).hasSize(100);
            assertThat(following.send(get(absolute).build(), BodyHandlers.ofByteArray()).body()).hasSize(100);
            assertThat(server.stats("/relative").requests()).extracting(RequestLog::status).containsOnly(status);
        }
    }

    @Test
    void rejectsWhatIsNotAPathOrARedirect() {
        try (TestHttpServer server = TestHttpServer.start()) {
            assertThatThrownBy(() -> server.serve("/a?b", HUNDRED)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> server.redirect("/a", "/b", 200)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> server.shape(-1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThat(server.clientSslContext()).isNull();
            assertThat(server.jdkClientSslContext()).isNull();
            assertThat(server.certificate()).isNull();
        }
    }

    @Test
    void closeStopsTheServerAndIsIdempotent() throws Exception {
        TestHttpServer server = TestHttpServer.start();
        URI uri = server.serve("/clip", HUNDRED);
        client.send(get(uri).build(), BodyHandlers.discarding());

        server.close();
        server.close();

        assertThatThrownBy(() -> HttpClient.newHttpClient().send(get(uri).build(), BodyHandlers.discarding()))
                .isInstanceOf(IOException.class);
    }

    private static HttpRequest.Builder get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    }
}
