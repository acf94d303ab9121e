package dev.reelflux.core;

import dev.reelflux.core.testing.NettyLeakGate;
import dev.reelflux.core.testing.TestHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.ConnectionProvider;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Credentials and the address policy: what a redirect may carry away, and where connections may go. The test server
 * listens on 127.0.0.1; names are answered by lookups the tests control, 127.0.0.1 standing for a public address
 * ({@code optAllow}) and anything else in 127/8 or 10/8 for the internal network a service must not reach.
 */
class HttpSourceSecurityTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final byte[] CLIP = new byte[200_000];

    static {
        new Random(7).nextBytes(CLIP);
    }

    private final TestHttpServer origin = TestHttpServer.start();
    private final TestHttpServer elsewhere = TestHttpServer.start();
    private ConnectionProvider pool;
    private BufferPool buffers;

    @BeforeEach
    void start() {
        // A pool of the test's own, so that every test's connections are new ones and pass the resolver.
        pool = ConnectionProvider.create("security-test", 16);
        buffers = new BufferPool(BufferPool.DEFAULT_BUFFER_SIZE, 64);
    }

    @AfterEach
    void stop() {
        origin.close();
        elsewhere.close();
        pool.disposeLater().block(WAIT);
        assertThat(buffers.outstanding()).as("chunks not released").isZero();
        NettyLeakGate.assertNoLeaks();
    }

    private HttpSettings settings() {
        return HttpSettings.create().optConnectionProvider(pool).optBufferPool(buffers)
                .optHeader("Authorization", "Bearer s3cret").optHeader("Cookie", "session=1")
                .optHeader("Proxy-Authorization", "Basic cHJveHk=").optHeader("X-Api-Key", "key")
                .optSensitiveHeader("x-api-key").optHeader("X-Trace", "t-1");
    }

    private long readAll(ByteSource source) {
        return source.read(0, ByteSource.TO_END).doOnNext(Chunk::close).map(Chunk::remaining)
                .reduce(0L, Long::sum).block(WAIT);
    }

    @Test
    void aRedirectToAnotherOriginDoesNotCarryTheCredentials() {
        URI target = elsewhere.serve("/clip.mp4", CLIP);
        URI start = origin.redirect("/start.mp4", target.toString(), 302);

        assertThat(readAll(HttpSource.create(start, settings()))).isEqualTo(CLIP.length);

        assertThat(origin.requestHeaders("/start.mp4")).singleElement().satisfies(headers -> assertThat(headers)
                .containsEntry("authorization", "Bearer s3cret").containsEntry("cookie", "session=1")
                .containsEntry("x-api-key", "key"));
        Map<String, String> second = elsewhere.requestHeaders("/clip.mp4").get(0);
        assertThat(second).doesNotContainKeys("authorization", "cookie", "proxy-authorization", "x-api-key")
                .containsEntry("x-trace", "t-1");
    }

    @Test
    void laterReadsOfASourceThatMovedElsewhereStayWithoutThem() {
        URI target = elsewhere.serve("/clip.mp4", CLIP);
        HttpSource source = HttpSource.create(origin.redirect("/start.mp4", target.toString(), 301), settings());

        source.read(1000, 100).doOnNext(Chunk::close).blockLast(WAIT);
        source.read(5000, 100).doOnNext(Chunk::close).blockLast(WAIT);

        assertThat(elsewhere.requestHeaders("/clip.mp4")).hasSize(2)
                .allSatisfy(headers -> assertThat(headers).doesNotContainKeys("authorization", "cookie"));
    }

    @Test
    void aRedirectWithinTheOriginKeepsThem() {
        origin.serve("/clip.mp4", CLIP);
        URI start = origin.redirect("/start.mp4", "/clip.mp4", 302);

        assertThat(readAll(HttpSource.create(start, settings()))).isEqualTo(CLIP.length);

        assertThat(origin.requestHeaders("/clip.mp4")).singleElement().satisfies(headers -> assertThat(headers)
                .containsEntry("authorization", "Bearer s3cret").containsEntry("cookie", "session=1")
                .containsEntry("proxy-authorization", "Basic cHJveHk=").containsEntry("x-api-key", "key"));
    }

    @Test
    void aNameThatAnswersAPublicAddressFirstAndAPrivateOneNextIsRefusedAtConnectTime() {
        // Large enough for several segments at once past the first: the pooled connection cannot carry them all.
        origin.serve("/clip.mp4", new byte[1_000_000]);
        AtomicInteger lookups = new AtomicInteger();
        // DNS rebinding: the first answer passes any check made before the download; later ones point inside.
        AddressPolicy policy = AddressPolicy.publicOnly().optAllow("127.0.0.1").optLookup(host -> List.of(
                address(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "10.0.0.7")));
        URI uri = URI.create("http://video.test:" + origin.uri("/").getPort() + "/clip.mp4");
        HttpSettings settings = settings().optAddressPolicy(policy);

        HttpSource source = HttpSource.create(uri, settings);
        source.read(0, 100).doOnNext(Chunk::close).blockLast(WAIT);
        // Ranged segments over new connections: each is resolved, and refused.
        ByteSource segments = ParallelSource.of(HttpSource.create(uri, settings)).optConnections(4)
                .optSegmentSize(32 * 1024);

        assertThatThrownBy(() -> readAll(segments)).isInstanceOf(AddressRefusedException.class)
                .hasMessageContaining("video.test").hasMessageContaining("10.0.0.7 (private)");
        // The first connection, made to the first answer, may carry a segment too; no other reached the server.
        assertThat(origin.connectionsOpened()).as("connections made").isEqualTo(1);
        assertThat(lookups.get()).as("lookups: the first, then one per new connection").isGreaterThan(1);
    }

    @Test
    void aRedirectToAnInternalNameIsRefusedBeforeAnyByteGoesThere() {
        AddressPolicy policy = AddressPolicy.publicOnly().optAllow("127.0.0.1").optLookup(host -> List.of(
                address(host.equals("video.test") ? "127.0.0.1" : "127.0.0.2")));
        int port = origin.uri("/").getPort();
        origin.redirect("/start.mp4", "http://metadata.internal:" + port + "/clip.mp4", 302);
        origin.serve("/clip.mp4", CLIP);
        URI uri = URI.create("http://video.test:" + port + "/start.mp4");

        assertThatThrownBy(() -> readAll(HttpSource.create(uri, settings().optAddressPolicy(policy))))
                .isInstanceOf(AddressRefusedException.class)
                .hasMessageContaining("metadata.internal").hasMessageContaining("127.0.0.2 (loopback)");
        assertThat(origin.stats("/clip.mp4").requests()).isEmpty();
    }

    @Test
    void aLiteralPrivateAddressIsRefusedWithoutARequest() {
        URI uri = origin.serve("/clip.mp4", CLIP);

        assertThatThrownBy(() -> readAll(HttpSource.create(uri, settings()
                .optAddressPolicy(AddressPolicy.publicOnly()))))
                .isInstanceOf(AddressRefusedException.class).hasMessageContaining("127.0.0.1 (loopback)");
        assertThat(origin.stats("/clip.mp4").requests()).isEmpty();
        assertThat(origin.connectionsOpened()).isZero();
    }

    @Test
    void aHostWithPublicAndPrivateAddressesIsReachedOnlyAtThePermittedOnes() throws UnknownHostException {
        AddressPolicy policy = AddressPolicy.publicOnly().optAllow("127.0.0.1");

        assertThat(policy.permitted("mixed.test", List.of(address("10.1.1.1"), address("127.0.0.1"),
                address("fd00::1")))).containsExactly(address("127.0.0.1"));
        assertThat(AddressPolicy.publicOnly().refusal(address("::ffff:192.168.1.1"))).isEqualTo("private");
        assertThat(AddressPolicy.publicOnly().refusal(address("100.64.0.1"))).isEqualTo("carrier-grade NAT");
        assertThat(AddressPolicy.publicOnly().refusal(address("169.254.169.254"))).isEqualTo("link-local");
        assertThat(AddressPolicy.publicOnly().refusal(address("0.0.0.0"))).isEqualTo("wildcard");
        assertThat(AddressPolicy.publicOnly().refusal(address("224.0.0.1"))).isEqualTo("multicast");
        assertThat(AddressPolicy.publicOnly().refusal(address("8.8.8.8"))).isNull();
        assertThat(AddressPolicy.publicOnly().refusal(address("2001:4860:4860::8888"))).isNull();
        assertThat(AddressPolicy.any().refusal(address("127.0.0.1"))).isNull();
        assertThatThrownBy(() -> AddressPolicy.publicOnly().optAllow("intranet.example"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
