package dev.reelflux.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.TcpClient;

class TestHttpServerProtocolTest {

    private static final Content CONTENT = Content.synthetic(3_000_000, 5);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ConnectionProvider pool = ConnectionProvider.create("protocol-test", 4);

    @AfterEach
    void disposePool() {
        pool.disposeLater().block(TIMEOUT);
    }

    @Test
    void h2cServesPriorKnowledgeStreamsOnOneConnection() {
        try (TestHttpServer server = TestHttpServer.start(Protocol.H2C)) {
            URI uri = server.serve("/clip", CONTENT);
            HttpClient client = HttpClient.create(pool).protocol(HttpProtocol.H2C);

            for (int i = 0; i < 3; i++) {
                Reply reply = get(client, uri, "bytes=" + (i * 1000) + "-");
                assertThat(reply.status()).isEqualTo(206);
                assertThat(reply.body()).isEqualTo(CONTENT.bytes(i * 1000, 3_000_000 - i * 1000));
            }

            assertThat(server.connectionsOpened()).isEqualTo(1);
            assertThat(server.stats("/clip").requests()).hasSize(3)
                    .allSatisfy(log -> assertThat(log.protocol()).isEqualTo("HTTP/2.0"))
                    .allSatisfy(log -> assertThat(log.connectionId()).isEqualTo(1));
        }
    }

    @Test
    void h2cAlsoServesHttp11() throws Exception {
        try (TestHttpServer server = TestHttpServer.start(Protocol.H2C)) {
            URI uri = server.serve("/clip", CONTENT);
            java.net.http.HttpClient http11 = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

            assertThat(http11.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofByteArray()).body())
                    .isEqualTo(CONTENT.bytes(0, 3_000_000));
            assertThat(server.stats("/clip").requests()).singleElement()
                    .satisfies(log -> assertThat(log.protocol()).isEqualTo("HTTP/1.1"));
        }
    }

    @Test
    void h2cUpgradesTheJdkClient() throws Exception {
        try (TestHttpServer server = TestHttpServer.start(Protocol.H2C)) {
            URI uri = server.serve("/clip", CONTENT);
            java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();

            HttpResponse<byte[]> upgraded = jdk.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofByteArray());
            HttpResponse<byte[]> next = jdk.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofByteArray());

            assertThat(upgraded.body()).hasSize(3_000_000);
            assertThat(next.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
            assertThat(server.stats("/clip").requests()).extracting(RequestLog::protocol)
                    .containsExactly("HTTP/2.0", "HTTP/2.0");
            assertThat(server.connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void h2cFaultsWork() {
        try (TestHttpServer server = TestHttpServer.start(Protocol.H2C)) {
            URI uri = server.serve("/clip", CONTENT);
            server.fault("/clip", Fault.resetAt(1_000_000).times(1));
            HttpClient client = HttpClient.create(pool).protocol(HttpProtocol.H2C);

            assertThatThrownBy(() -> get(client, uri, null)).isInstanceOf(Exception.class);
            assertThat(get(client, uri, null).body()).hasSize(3_000_000);
        }
    }

    @Test
    void h2TlsServesTheJdkClientOverHttp2WithATrustedCertificate() throws Exception {
        try (TestHttpServer server = TestHttpServer.start(Protocol.H2_TLS)) {
            URI uri = server.serve("/clip", CONTENT);
            java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder()
                    .sslContext(server.jdkClientSslContext()).build();

            HttpResponse<byte[]> whole = jdk.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofByteArray());
            HttpResponse<byte[]> range = jdk.send(HttpRequest.newBuilder(uri).header("Range", "bytes=10-19").build(),
                    BodyHandlers.ofByteArray());

            assertThat(uri.toString()).startsWith("https://localhost:");
            assertThat(whole.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
            assertThat(whole.body()).isEqualTo(CONTENT.bytes(0, 3_000_000));
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.headers().firstValue("content-range")).hasValue("bytes 10-19/3000000");
            assertThat(range.body()).isEqualTo(CONTENT.bytes(10, 10));
            assertThat(server.stats("/clip").requests())
                    .allSatisfy(log -> assertThat(log.protocol()).isEqualTo("HTTP/2.0"));
            assertThat(server.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        }
    }

    @Test
    void h2TlsNegotiatesHttp11ForAClientThatOffersOnlyThat() throws Exception {
        try (TestHttpServer server = TestHttpServer.start(Protocol.H2_TLS)) {
            URI uri = server.serve("/clip", CONTENT);
            java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .sslContext(server.jdkClientSslContext()).build();

            HttpResponse<byte[]> response = jdk.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofByteArray());

            assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
            assertThat(response.body()).hasSize(3_000_000);
            assertThat(server.stats("/clip").requests()).singleElement()
                    .satisfies(log -> assertThat(log.protocol()).isEqualTo("HTTP/1.1"));
        }
    }

    @Test
    void clientSslContextTrustsTheServerAndOffersH2() {
        try (TestHttpServer server = TestHttpServer.start(Protocol.H2_TLS)) {
            Connection connection = TcpClient.create()
                    .host("localhost")
                    .port(server.uri("/").getPort())
                    .secure(spec -> spec.sslContext(server.clientSslContext()))
                    .connectNow(TIMEOUT);
            try {
                assertThat(connection.channel().pipeline().get(SslHandler.class).applicationProtocol())
                        .isEqualTo("h2");
            } finally {
                connection.disposeNow(TIMEOUT);
            }
        }
    }

    @Test
    void h2TlsServesReactorNettyWithTheNettyClientContext() {
        // reactor-netty-http 1.3.7 cannot initialise its TLS client without the QUIC classes (HttpClientSecure
        // references io.netty.handler.codec.quic.Quic), which the root pom excludes today.
        assumeTrue(isPresent("io.netty.handler.codec.quic.Quic"),
                "Reactor Netty's TLS HttpClient needs io.netty:netty-codec-classes-quic on the class path");
        try (TestHttpServer server = TestHttpServer.start(Protocol.H2_TLS)) {
            URI uri = server.serve("/clip", CONTENT);
            HttpClient client = HttpClient.create(pool).protocol(HttpProtocol.H2, HttpProtocol.HTTP11)
                    .secure(spec -> spec.sslContext(server.clientSslContext()));

            Reply reply = get(client, uri, "bytes=-100");

            assertThat(reply.status()).isEqualTo(206);
            assertThat(reply.body()).isEqualTo(CONTENT.bytes(3_000_000 - 100, 100));
            assertThat(server.stats("/clip").requests()).singleElement()
                    .satisfies(log -> assertThat(log.protocol()).isEqualTo("HTTP/2.0"));
        }
    }

    @Test
    void h2TlsTruncateAndStallEndTheStream() throws Exception {
        try (TestHttpServer server = TestHttpServer.start(Protocol.H2_TLS)) {
            URI truncated = server.serve("/truncated", CONTENT);
            URI stalled = server.serve("/stalled", CONTENT);
            server.fault("/truncated", Fault.truncateAt(500_000));
            server.fault("/stalled", Fault.stallAt(500_000));
            java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder()
                    .sslContext(server.jdkClientSslContext()).build();

            assertThatThrownBy(() -> jdk.send(HttpRequest.newBuilder(truncated).build(), BodyHandlers.ofByteArray()))
                    .isInstanceOf(IOException.class);
            CompletableFuture<HttpResponse<byte[]>> stalledResponse =
                    jdk.sendAsync(HttpRequest.newBuilder(stalled).build(), BodyHandlers.ofByteArray());
            assertThatThrownBy(() -> stalledResponse.get(500, TimeUnit.MILLISECONDS))
                    .isInstanceOf(TimeoutException.class);
            stalledResponse.cancel(true);
            assertThat(server.stats("/truncated").requests()).singleElement()
                    .satisfies(log -> assertThat(log.bytesSent()).isEqualTo(500_000))
                    .satisfies(log -> assertThat(log.protocol()).isEqualTo("HTTP/2.0"));
            assertThat(server.stats("/stalled").bytesSent()).isEqualTo(500_000);
        }
    }

    private static Reply get(HttpClient client, URI uri, String range) {
        return client.headers(headers -> {
                    if (range != null) {
                        headers.set("Range", range);
                    }
                })
                .get().uri(uri)
                .responseSingle((response, body) -> body.asByteArray()
                        .switchIfEmpty(Mono.just(new byte[0]))
                        .map(bytes -> new Reply(response.status().code(), bytes)))
                .block(TIMEOUT);
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, TestHttpServerProtocolTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private record Reply(int status, byte[] body) {
    }
}
