package dev.reelflux.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TestHttpServerFaultTest {

    private static final int SIZE = 1 << 20;
    private static final int OFFSET = 300_000;
    private static final Content CONTENT = Content.synthetic(SIZE, 11);
    private static final Duration SHORT = Duration.ofMillis(500);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void resetAtSendsTheBytesBeforeTheOffsetThenResets() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", CONTENT);
            server.fault("/clip", Fault.resetAt(OFFSET));

            assertThatThrownBy(() -> client.send(get(uri).build(), BodyHandlers.ofByteArray()))
                    .isInstanceOf(IOException.class);
            try (RawHttp raw = RawHttp.connect(uri, Duration.ofSeconds(10)).send("GET", uri)) {
                assertThat(raw.readHead().status()).isEqualTo(200);
                RawHttp.Ending ending = raw.readToEnd();
                assertThat(ending.error()).isInstanceOf(SocketException.class).hasMessageContaining("reset");
                assertThat(ending.body()).hasSizeLessThanOrEqualTo(OFFSET)
                        .isEqualTo(CONTENT.bytes(0, ending.body().length));
            }
            assertThat(server.stats("/clip").requests()).allSatisfy(log -> {
                assertThat(log.status()).isEqualTo(200);
                assertThat(log.bytesSent()).isEqualTo(OFFSET);
            });
        }
    }

    @Test
    void offsetFaultsIgnoreRangesThatDoNotCoverTheOffset() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", CONTENT);
            server.fault("/clip", Fault.resetAt(OFFSET).times(1));

            HttpResponse<byte[]> after = client.send(get(uri).header("Range", "bytes=" + (OFFSET + 1) + "-").build(),
                    BodyHandlers.ofByteArray());
            HttpResponse<byte[]> before = client.send(get(uri).header("Range", "bytes=0-" + (OFFSET - 1)).build(),
                    BodyHandlers.ofByteArray());

            assertThat(after.statusCode()).isEqualTo(206);
            assertThat(after.body()).isEqualTo(CONTENT.bytes(OFFSET + 1, SIZE - OFFSET - 1));
            assertThat(before.body()).isEqualTo(CONTENT.bytes(0, OFFSET));
            // Neither matched, so the one reset is still due.
            assertThatThrownBy(() -> client.send(get(uri).header("Range", "bytes=" + OFFSET + "-").build(),
                    BodyHandlers.ofByteArray())).isInstanceOf(IOException.class);
            assertThat(client.send(get(uri).build(), BodyHandlers.ofByteArray()).body()).hasSize(SIZE);
        }
    }

    @Test
    void truncateAtClosesCleanlyAfterTheOffset() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", CONTENT);
            server.fault("/clip", Fault.truncateAt(OFFSET));

            try (RawHttp raw = RawHttp.connect(uri, Duration.ofSeconds(10))
                    .send("GET", uri, "Range: bytes=1000-")) {
                RawHttp.Head head = raw.readHead();
                RawHttp.Ending ending = raw.readToEnd();

                assertThat(head.status()).isEqualTo(206);
                assertThat(head.headers()).containsEntry("content-length", Integer.toString(SIZE - 1000));
                assertThat(ending.error()).isNull();
                assertThat(ending.body()).isEqualTo(CONTENT.bytes(1000, OFFSET - 1000));
            }
            assertThatThrownBy(() -> client.send(get(uri).build(), BodyHandlers.ofByteArray()))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void stallAtSendsTheBytesBeforeTheOffsetThenNothing() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", CONTENT);
            server.fault("/clip", Fault.stallAt(OFFSET));

            try (RawHttp raw = RawHttp.connect(uri, SHORT).send("GET", uri)) {
                assertThat(raw.readHead().status()).isEqualTo(200);
                RawHttp.Ending ending = raw.readToEnd();

                assertThat(ending.error()).isInstanceOf(SocketTimeoutException.class);
                assertThat(ending.body()).isEqualTo(CONTENT.bytes(0, OFFSET));
            }
        }
    }

    @Test
    void stallAtTheStartStillSendsTheHeaders() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", CONTENT);
            server.fault("/clip", Fault.stallAt(0));

            try (RawHttp raw = RawHttp.connect(uri, SHORT).send("GET", uri)) {
                assertThat(raw.readHead().status()).isEqualTo(200);
                RawHttp.Ending ending = raw.readToEnd();
                assertThat(ending.error()).isInstanceOf(SocketTimeoutException.class);
                assertThat(ending.body()).isEmpty();
            }
        }
    }

    @Test
    void stallBeforeHeadersNeverAnswers() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", CONTENT);
            server.fault("/clip", Fault.stallBeforeHeaders());

            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(uri).timeout(SHORT).build(),
                    BodyHandlers.discarding())).isInstanceOf(HttpTimeoutException.class);
            assertThat(server.stats("/clip").requests()).singleElement()
                    .satisfies(log -> assertThat(log.status()).isZero());
        }
    }

    @Test
    void statusAnswersTheCodeWithAShortText() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", CONTENT);
            server.fault("/clip", Fault.status(503));
            server.fault("/nothing-here", Fault.status(403));

            HttpResponse<String> response = client.send(get(uri).build(), BodyHandlers.ofString());
            HttpResponse<String> head = client.send(get(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build(), BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("503").hasSizeLessThan(100);
            assertThat(head.statusCode()).isEqualTo(503);
            assertThat(head.body()).isEmpty();
            assertThat(client.send(get(server.uri("/nothing-here")).build(), BodyHandlers.discarding()).statusCode())
                    .isEqualTo(403);
            assertThat(server.stats("/clip").requests()).extracting(RequestLog::status).containsExactly(503, 503);
        }
    }

    @Test
    void statusAppliesToRedirectsToo() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.redirect("/moved", "/elsewhere", 302);
            server.fault("/moved", Fault.status(204));

            HttpResponse<String> response = client.send(get(uri).build(), BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(response.body()).isEmpty();
        }
    }

    @Test
    void ignoreRangeAnswersTheWholeBodyWithoutAcceptRanges() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", CONTENT);
            server.fault("/clip", Fault.ignoreRange());

            HttpResponse<byte[]> response = client.send(get(uri).header("Range", "bytes=100-199").build(),
                    BodyHandlers.ofByteArray());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(CONTENT.bytes(0, SIZE));
            assertThat(response.headers().firstValue("accept-ranges")).isEmpty();
            assertThat(response.headers().firstValue("content-range")).isEmpty();
        }
    }

    @Test
    void wrongContentLengthDeclaresTheLengthAndSendsTheRealBytes() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", CONTENT);
            server.fault("/clip", Fault.wrongContentLength(10));

            try (RawHttp raw = RawHttp.connect(uri, Duration.ofSeconds(10))
                    .send("GET", uri, "Range: bytes=0-99")) {
                RawHttp.Head head = raw.readHead();
                RawHttp.Ending ending = raw.readToEnd();

                assertThat(head.status()).isEqualTo(206);
                assertThat(head.headers()).containsEntry("content-length", "10")
                        .containsEntry("content-range", "bytes 0-99/" + SIZE);
                assertThat(ending.error()).isNull();
                assertThat(ending.body()).isEqualTo(CONTENT.bytes(0, 100));
            }
        }
    }

    @Test
    void wrongContentLengthTooLargeEndsAtEof() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/small", new byte[] {1, 2, 3});
            server.fault("/small", Fault.wrongContentLength(1000));

            assertThatThrownBy(() -> client.send(get(uri).build(), BodyHandlers.ofByteArray()))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void wrongContentRangeIsOffByOne() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", CONTENT);
            server.fault("/clip", Fault.wrongContentRange());

            HttpResponse<byte[]> middle = client.send(get(uri).header("Range", "bytes=100-199").build(),
                    BodyHandlers.ofByteArray());
            HttpResponse<byte[]> start = client.send(get(uri).header("Range", "bytes=0-9").build(),
                    BodyHandlers.ofByteArray());
            HttpResponse<byte[]> whole = client.send(get(uri).build(), BodyHandlers.ofByteArray());

            assertThat(middle.statusCode()).isEqualTo(206);
            assertThat(middle.headers().firstValue("content-range")).hasValue("bytes 99-198/" + SIZE);
            assertThat(middle.body()).isEqualTo(CONTENT.bytes(100, 100));
            assertThat(start.headers().firstValue("content-range")).hasValue("bytes 1-10/" + SIZE);
            assertThat(start.body()).isEqualTo(CONTENT.bytes(0, 10));
            assertThat(whole.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void timesLimitsTheFaultToTheFirstMatchingRequests() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", CONTENT);
            server.fault("/clip", Fault.status(500).times(2));

            assertThat(client.send(get(uri).build(), BodyHandlers.discarding()).statusCode()).isEqualTo(500);
            assertThat(client.send(get(uri).build(), BodyHandlers.discarding()).statusCode()).isEqualTo(500);
            assertThat(client.send(get(uri).build(), BodyHandlers.ofByteArray()).body()).hasSize(SIZE);
        }
    }

    @Test
    void resetOnceThenTheResumedRangeIsServed() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", CONTENT);
            server.fault("/clip", Fault.resetAt(OFFSET).times(1));

            assertThatThrownBy(() -> client.send(get(uri).build(), BodyHandlers.ofByteArray()))
                    .isInstanceOf(IOException.class);
            HttpResponse<byte[]> resumed = client.send(get(uri).header("Range", "bytes=" + OFFSET + "-").build(),
                    BodyHandlers.ofByteArray());

            assertThat(resumed.statusCode()).isEqualTo(206);
            assertThat(resumed.body()).isEqualTo(CONTENT.bytes(OFFSET, SIZE - OFFSET));
            assertThat(server.connectionsOpened()).isEqualTo(2);
        }
    }

    @Test
    void noneClearsTheFault() throws Exception {
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", CONTENT);
            server.fault("/clip", Fault.status(500));
            server.fault("/clip", Fault.none());

            assertThat(client.send(get(uri).build(), BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void closeEndsStalledConnections() throws Exception {
        TestHttpServer server = TestHttpServer.start();
        URI uri = server.serve("/clip", CONTENT);
        server.fault("/clip", Fault.stallAt(OFFSET));
        server.fault("/silent", Fault.stallBeforeHeaders());
        try (RawHttp body = RawHttp.connect(uri, Duration.ofSeconds(10)).send("GET", uri);
                RawHttp silent = RawHttp.connect(uri, Duration.ofSeconds(10)).send("GET", server.uri("/silent"))) {
            body.readHead();
            body.readBytes(OFFSET);
            long before = System.nanoTime();

            server.close();

            assertThat(body.readToEnd().body()).isEmpty();
            assertThat(silent.readToEnd().body()).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(9));
        }
    }

    @Test
    void faultsAreValuesWithReadableNames() {
        assertThat(Fault.resetAt(5).times(2)).isEqualTo(Fault.resetAt(5).times(2))
                .hasSameHashCodeAs(Fault.resetAt(5).times(2))
                .isNotEqualTo(Fault.resetAt(5))
                .hasToString("resetAt(5).times(2)");
        assertThat(Fault.none().times(3)).isEqualTo(Fault.none());
        assertThat(Fault.wrongContentLength(7)).hasToString("wrongContentLength(7)");
        assertThatThrownBy(() -> Fault.status(99)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.stallAt(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.ignoreRange().times(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static HttpRequest.Builder get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    }
}
