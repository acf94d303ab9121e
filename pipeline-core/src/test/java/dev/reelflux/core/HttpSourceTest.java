package dev.reelflux.core;

import dev.reelflux.core.testing.Content;
import dev.reelflux.core.testing.Fault;
import dev.reelflux.core.testing.NettyLeakGate;
import dev.reelflux.core.testing.Protocol;
import dev.reelflux.core.testing.RequestLog;
import dev.reelflux.core.testing.TestHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.netty.http.HttpProtocol;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpSourceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static ConnectionProvider pool;
    private TestHttpServer server;
    private BufferPool buffers;
    private TransferStats stats;
    private HttpSettings settings;

    @BeforeAll
    static void createPool() {
        pool = ConnectionProvider.create("http-source-test", 64);
    }

    @AfterAll
    static void disposePool() {
        pool.disposeLater().block(WAIT);
    }

    @BeforeEach
    void start() {
        server = TestHttpServer.start();
        buffers = new BufferPool(BufferPool.DEFAULT_BUFFER_SIZE, 16);
        stats = new TransferStats();
        settings = HttpSettings.create()
                .optConnectionProvider(pool)
                .optBufferPool(buffers)
                .optListener(stats)
                .optRetry(3, Duration.ofMillis(20));
    }

    @AfterEach
    void stop() {
        server.close();
        assertThat(buffers.outstanding()).as("chunks not released").isZero();
        NettyLeakGate.assertNoLeaks();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** Reads everything, checking chunks are contiguous, and returns the bytes. */
    private static byte[] readAll(Flux<Chunk> chunks, long firstOffset) {
        AtomicLong expected = new AtomicLong(firstOffset);
        return chunks.map(c -> {
                    assertThat(c.offset()).isEqualTo(expected.get());
                    byte[] b = c.toArray();
                    expected.addAndGet(b.length);
                    c.close();
                    return b;
                })
                .reduce(new byte[0], HttpSourceTest::concat)
                .block(WAIT);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private HttpSource source(URI uri) {
        return HttpSource.create(uri, settings);
    }

    @Test
    void readsTheWholeBody() throws Exception {
        byte[] content = random(1_000_000);
        HttpSource source = source(server.serve("/clip.mp4", content));

        byte[] read = readAll(source.read(0, ByteSource.TO_END), 0);

        assertThat(sha256(read)).isEqualTo(sha256(content));
        assertThat(stats.bytes()).isEqualTo(content.length);
        assertThat(stats.requests()).isEqualTo(1);
        RequestRecord record = stats.records().get(0);
        assertThat(record.status()).isEqualTo(206);
        assertThat(record.protocol()).isEqualTo("HTTP/1.1");
        assertThat(record.outcome()).isEqualTo(RequestRecord.Outcome.COMPLETED);
        assertThat(record.firstByteNanos()).isPositive();
        assertThat(record.bytes()).isEqualTo(content.length);
        StepVerifier.create(source.info())
                .assertNext(info -> {
                    assertThat(info.size()).isEqualTo(content.length);
                    assertThat(info.rangesSupported()).isTrue();
                })
                .verifyComplete();
    }

    @Test
    void readsRangesAndSendsTheRangeAskedFor() {
        byte[] content = random(100_000);
        HttpSource source = source(server.serve("/clip.mp4", content));

        assertThat(readAll(source.read(1000, 5000), 1000)).isEqualTo(Arrays.copyOfRange(content, 1000, 6000));
        assertThat(readAll(source.read(99_990, ByteSource.TO_END), 99_990))
                .isEqualTo(Arrays.copyOfRange(content, 99_990, 100_000));
        assertThat(readAll(source.read(99_000, 5000), 99_000))
                .isEqualTo(Arrays.copyOfRange(content, 99_000, 100_000));
        assertThat(readAll(source.read(100_000, ByteSource.TO_END), 100_000)).isEmpty();

        List<String> ranges = server.stats("/clip.mp4").requests().stream().map(RequestLog::range).toList();
        assertThat(ranges).startsWith("bytes=1000-5999", "bytes=99990-", "bytes=99000-103999");
    }

    @Test
    void infoProbesWithOneByteWhenNothingWasRead() {
        HttpSource source = source(server.serve("/clip.mp4", random(5000)));
        StepVerifier.create(source.info())
                .assertNext(info -> {
                    assertThat(info.size()).isEqualTo(5000);
                    assertThat(info.rangesSupported()).isTrue();
                })
                .verifyComplete();
        assertThat(server.stats("/clip.mp4").requests()).extracting(RequestLog::range).containsExactly("bytes=0-0");
    }

    @Test
    void infoWaitsForTheResponseOfAReadInFlight() {
        byte[] content = random(200_000);
        HttpSource source = source(server.serve("/clip.mp4", content));
        server.shape(0, Duration.ofMillis(200));

        Flux<Chunk> body = source.read(0, ByteSource.TO_END).doOnNext(Chunk::close);
        reactor.core.Disposable reading = body.subscribe();
        StepVerifier.create(source.info())
                .assertNext(info -> assertThat(info.size()).isEqualTo(content.length))
                .verifyComplete();
        reading.dispose();

        assertThat(server.stats("/clip.mp4").requests()).extracting(RequestLog::range).containsExactly("bytes=0-");
    }

    @Test
    void resumesAfterAResetWithoutFetchingAByteTwice() throws Exception {
        byte[] content = random(1_000_000);
        URI uri = server.serve("/clip.mp4", content);
        server.fault("/clip.mp4", Fault.resetAt(300_000).times(1));

        byte[] read = readAll(source(uri).read(0, ByteSource.TO_END), 0);

        assertThat(sha256(read)).isEqualTo(sha256(content));
        assertThat(stats.retries()).isEqualTo(1);
        assertThat(stats.records()).hasSize(2);
        long first = stats.records().get(0).bytes();
        assertThat(first).isLessThanOrEqualTo(300_000);
        assertThat(stats.records().get(0).outcome()).isEqualTo(RequestRecord.Outcome.FAILED);
        assertThat(stats.records().stream().mapToLong(RequestRecord::bytes).sum()).isEqualTo(content.length);
        assertThat(server.stats("/clip.mp4").requests()).extracting(RequestLog::range)
                .containsExactly("bytes=0-", "bytes=" + first + "-");
    }

    @Test
    void resumesAfterAnEarlyCleanClose() throws Exception {
        byte[] content = random(500_000);
        URI uri = server.serve("/clip.mp4", content);
        server.fault("/clip.mp4", Fault.truncateAt(123_456).times(1));

        byte[] read = readAll(source(uri).read(0, ByteSource.TO_END), 0);

        assertThat(sha256(read)).isEqualTo(sha256(content));
        assertThat(stats.retries()).isEqualTo(1);
        assertThat(server.stats("/clip.mp4").requests()).extracting(RequestLog::range)
                .containsExactly("bytes=0-", "bytes=123456-");
    }

    @Test
    void givesUpWithATypedErrorWhenResetsDoNotStop() {
        URI uri = server.serve("/clip.mp4", random(100_000));
        server.fault("/clip.mp4", Fault.resetAt(0));

        StepVerifier.create(source(uri).read(0, ByteSource.TO_END))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TransferFailedException.class)
                        .hasMessageContaining(uri.toString()))
                .verify(WAIT);
        assertThat(server.stats("/clip.mp4").requests()).hasSize(4);
    }

    @Test
    void skipsToTheOffsetWhenTheServerIgnoresRange() {
        byte[] content = random(300_000);
        HttpSource source = source(server.serve("/clip.mp4", content));
        server.fault("/clip.mp4", Fault.ignoreRange());

        assertThat(readAll(source.read(100_000, 50_000), 100_000))
                .isEqualTo(Arrays.copyOfRange(content, 100_000, 150_000));
        StepVerifier.create(source.info())
                .assertNext(info -> assertThat(info.rangesSupported()).isFalse())
                .verifyComplete();
        assertThat(server.stats("/clip.mp4").requests()).extracting(RequestLog::status).containsExactly(200);
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 403, 500})
    void errorStatusesAreTypedAndNameTheUrl(int status) {
        URI uri = server.serve("/clip.mp4", random(1000));
        server.fault("/clip.mp4", Fault.status(status));

        StepVerifier.create(source(uri).read(0, ByteSource.TO_END))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(HttpStatusException.class).hasMessageContaining(uri.toString());
                    assertThat(((HttpStatusException) e).status()).isEqualTo(status);
                })
                .verify(WAIT);
        assertThat(server.stats("/clip.mp4").requests()).hasSize(1);
    }

    @Test
    void gatewayErrorsAreRetriedThenReported() {
        URI uri = server.serve("/clip.mp4", random(1000));
        server.fault("/clip.mp4", Fault.status(503));

        StepVerifier.create(source(uri).read(0, ByteSource.TO_END))
                .expectErrorSatisfies(e -> assertThat(((HttpStatusException) e).status()).isEqualTo(503))
                .verify(WAIT);
        assertThat(server.stats("/clip.mp4").requests()).hasSize(4);
    }

    @Test
    void gatewayErrorThatClearsIsInvisible() {
        byte[] content = random(10_000);
        URI uri = server.serve("/clip.mp4", content);
        server.fault("/clip.mp4", Fault.status(502).times(1));

        assertThat(readAll(source(uri).read(0, ByteSource.TO_END), 0)).isEqualTo(content);
    }

    @Test
    void aStallMidBodyEndsInAStallErrorWithinTheIdleTimeout() {
        URI uri = server.serve("/clip.mp4", random(500_000));
        server.fault("/clip.mp4", Fault.stallAt(100_000));
        HttpSource source = HttpSource.create(uri, settings.optIdleTimeout(Duration.ofMillis(500)));

        long started = System.nanoTime();
        StepVerifier.create(source.read(0, ByteSource.TO_END).doOnNext(Chunk::close))
                .thenConsumeWhile(c -> true)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(StallException.class)
                        .hasMessageContaining(uri.toString()))
                .verify(WAIT);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(elapsedMs).isBetween(400L, 2500L);
    }

    @Test
    void noHeadersEndsInAResponseTimeout() {
        URI uri = server.serve("/clip.mp4", random(1000));
        server.fault("/clip.mp4", Fault.stallBeforeHeaders());
        HttpSource source = HttpSource.create(uri, settings.optResponseTimeout(Duration.ofMillis(400)));

        StepVerifier.create(source.read(0, ByteSource.TO_END))
                .expectError(ResponseTimeoutException.class)
                .verify(WAIT);
    }

    @Test
    void cancelMidBodyReleasesEverything() {
        URI uri = server.serve("/big.bin", Content.synthetic(50_000_000));
        server.shape(4_000_000, Duration.ZERO);

        StepVerifier.create(source(uri).read(0, ByteSource.TO_END), 3)
                .consumeNextWith(Chunk::close)
                .consumeNextWith(Chunk::close)
                .consumeNextWith(Chunk::close)
                .thenCancel()
                .verify(WAIT);

        assertThat(stats.records()).singleElement()
                .satisfies(r -> assertThat(r.outcome()).isEqualTo(RequestRecord.Outcome.CANCELLED));
        long sent = server.stats("/big.bin").bytesSent();
        sleep(300);
        assertThat(server.stats("/big.bin").bytesSent()).as("server stops sending after cancel")
                .isLessThan(sent + 2_000_000);
    }

    @Test
    void aSlowSubscriberKeepsBufferingBoundedAndStallsTheServer() {
        Content content = Content.synthetic(200L * 1024 * 1024);
        URI uri = server.serve("/huge.bin", content);
        AtomicLong consumed = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        BaseSubscriber<Chunk> slow = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                request(1);
            }

            @Override
            protected void hookOnNext(Chunk chunk) {
                consumed.addAndGet(chunk.remaining());
                chunk.close();
            }

            @Override
            protected void hookFinally(reactor.core.publisher.SignalType type) {
                done.countDown();
            }
        };
        source(uri).read(0, ByteSource.TO_END).subscribe(slow);
        for (int i = 0; i < 40; i++) {
            sleep(25);
            slow.request(1);
        }
        sleep(500);
        long sentThen = server.stats("/huge.bin").bytesSent();
        sleep(500);
        long sentNow = server.stats("/huge.bin").bytesSent();
        long inFlight = sentNow - consumed.get();

        assertThat(sentNow - sentThen).as("the server sees the transfer stall").isLessThan(256 * 1024);
        assertThat(inFlight).as("bytes between server and subscriber (socket buffers included)")
                .isLessThan(16L * 1024 * 1024);
        assertThat(buffers.outstanding()).as("chunks held inside reelflux").isLessThanOrEqualTo(1);
        assertThat(sentNow).isLessThan(content.size() / 10);

        slow.cancel();
        await(done);
    }

    @Test
    void sixteenConcurrentReadsShareOnePool() throws Exception {
        int files = 16;
        byte[][] contents = new byte[files][];
        URI[] uris = new URI[files];
        for (int i = 0; i < files; i++) {
            contents[i] = random(400_000 + i);
            uris[i] = server.serve("/clip" + i + ".mp4", contents[i]);
        }
        server.shape(8_000_000, Duration.ofMillis(20));

        List<byte[]> results = Flux.range(0, files)
                .flatMapSequential(i -> Flux.defer(() -> source(uris[i]).read(0, ByteSource.TO_END))
                        .map(c -> {
                            byte[] b = c.toArray();
                            c.close();
                            return b;
                        })
                        .reduce(new byte[0], HttpSourceTest::concat), files)
                .collectList()
                .block(WAIT);

        for (int i = 0; i < files; i++) {
            assertThat(sha256(results.get(i))).isEqualTo(sha256(contents[i]));
        }
        assertThat(server.connectionsOpened()).isLessThanOrEqualTo(files);
    }

    @Test
    void connectionsAreKeptAliveAndWarmupOpensOneAhead() {
        URI uri = server.serve("/clip.mp4", random(10_000));
        settings.warmup(uri).block(WAIT);
        assertThat(server.connectionsOpened()).isEqualTo(1);

        // Reactor Netty hands a connection back to the pool on its event loop just after the response completes;
        // a request issued in that instant would rightly open a second one.
        HttpSource source = source(uri);
        sleep(100);
        readAll(source.read(0, 5000), 0);
        sleep(100);
        readAll(source.read(5000, 5000), 5000);

        assertThat(server.connectionsOpened()).isEqualTo(1);
        assertThat(stats.records()).allSatisfy(r -> assertThat(r.connectNanos()).isZero());
    }

    @Test
    void aNewConnectionIsAccountedAsConnectTime() {
        URI uri = server.serve("/clip.mp4", random(10_000));
        server.shape(0, Duration.ofMillis(150));

        readAll(source(uri).read(0, ByteSource.TO_END), 0);

        RequestRecord record = stats.records().get(0);
        assertThat(record.connectNanos()).isPositive();
        assertThat(record.firstByteNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
        assertThat(stats.firstByteNanos()).isPositive();
    }

    @Test
    void followsRedirectsAndRemembersTheTarget() {
        byte[] content = random(20_000);
        server.serve("/real.mp4", content);
        URI start = server.redirect("/short", "/real.mp4", 302);
        HttpSource source = source(start);

        assertThat(readAll(source.read(0, 10_000), 0)).isEqualTo(Arrays.copyOfRange(content, 0, 10_000));
        assertThat(readAll(source.read(10_000, 10_000), 10_000)).isEqualTo(Arrays.copyOfRange(content, 10_000, 20_000));

        assertThat(server.stats("/short").requests()).hasSize(1);
        assertThat(server.stats("/real.mp4").requests()).hasSize(2);
    }

    @Test
    void aRedirectLoopIsATypedError() {
        server.redirect("/a", "/b", 302);
        URI a = server.uri("/a");
        server.redirect("/b", "/a", 302);

        StepVerifier.create(source(a).read(0, ByteSource.TO_END))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedirectException.class)
                        .hasMessageContaining("loop"))
                .verify(WAIT);
    }

    @Test
    void tooManyRedirectsIsATypedError() {
        for (int i = 0; i < 8; i++) {
            server.redirect("/r" + i, "/r" + (i + 1), 301);
        }
        StepVerifier.create(source(server.uri("/r0")).read(0, ByteSource.TO_END))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedirectException.class)
                        .hasMessageContaining("more than 5 redirects"))
                .verify(WAIT);
    }

    @Test
    void aWrongContentRangeIsATypedError() {
        URI uri = server.serve("/clip.mp4", random(10_000));
        server.fault("/clip.mp4", Fault.wrongContentRange());

        StepVerifier.create(source(uri).read(100, 1000))
                .expectError(ContentRangeException.class)
                .verify(WAIT);
    }

    @Test
    void aWrongContentLengthIsATypedError() {
        URI uri = server.serve("/clip.mp4", random(10_000));
        server.fault("/clip.mp4", Fault.wrongContentLength(5000));

        StepVerifier.create(source(uri).read(0, ByteSource.TO_END))
                .expectError(ContentRangeException.class)
                .verify(WAIT);
    }

    @Test
    void contentLargerThanMaxSizeIsRefusedBeforeTheBody() {
        URI uri = server.serve("/huge.bin", Content.synthetic(500_000_000L));
        HttpSource source = HttpSource.create(uri, settings.optMaxSize(1_000_000));

        StepVerifier.create(source.read(0, ByteSource.TO_END))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SizeLimitException.class)
                        .hasMessageContaining("1000000"))
                .verify(WAIT);
        assertThat(stats.bytes()).isZero();
    }

    @Test
    void severalConnectionsAreByteSourceOpensNeverSilentlyOne() {
        URI uri = server.serve("/parallel.mp4", random(1000));
        HttpSettings three = settings.optConnections(3);

        assertThatThrownBy(() -> HttpSource.create(uri, three)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ByteSource.open");
        assertThat(ByteSource.open(uri, three)).isInstanceOf(ParallelSource.class);
        assertThat(ByteSource.open(uri, settings)).isInstanceOf(HttpSource.class);
        // A path that does not name a video file may answer with an HLS playlist: its first response decides.
        assertThat(ByteSource.open(server.uri("/parallel"), three)).isInstanceOf(SniffedSource.class);
        assertThat(ByteSource.open(server.uri("/parallel.bin"), settings)).isInstanceOf(SniffedSource.class);
        assertThat(ByteSource.open(server.uri("/index.M3U8"), settings)).isInstanceOf(HlsSource.class);
    }

    @Test
    void truncatingDownloadsOnlyThePrefix() {
        byte[] content = random(100_000);
        URI uri = server.serve("/clip.mp4", content);
        HttpSource source = HttpSource.create(uri, settings.optTruncateAt(5000));

        assertThat(readAll(source.read(0, ByteSource.TO_END), 0)).isEqualTo(Arrays.copyOf(content, 5000));
        assertThat(readAll(source.read(6000, 10), 6000)).isEmpty();
        assertThat(server.stats("/clip.mp4").requests()).extracting(RequestLog::range).containsExactly("bytes=0-4999");
        StepVerifier.create(source.info()).assertNext(i -> assertThat(i.size()).isEqualTo(5000)).verifyComplete();
    }

    @Test
    void anEmptyBodyCompletesEmpty() {
        HttpSource source = source(server.serve("/empty", new byte[0]));
        StepVerifier.create(source.read(0, ByteSource.TO_END)).verifyComplete();
        StepVerifier.create(source.info()).assertNext(i -> assertThat(i.size()).isZero()).verifyComplete();
    }

    @Test
    void aRefusedConnectionIsAConnectFailure() {
        URI uri = server.uri("/clip.mp4");
        server.close();

        StepVerifier.create(source(uri).read(0, ByteSource.TO_END))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConnectFailedException.class)
                        .hasMessageContaining(uri.toString()))
                .verify(WAIT);
    }

    @Test
    void anUnresolvableHostIsAConnectFailure() {
        URI uri = URI.create("http://no-such-host.invalid/clip.mp4");
        StepVerifier.create(HttpSource.create(uri, settings.optConnectTimeout(Duration.ofSeconds(2)))
                        .read(0, ByteSource.TO_END))
                .expectError(ConnectFailedException.class)
                .verify(WAIT);
    }

    @Test
    void onlyWellFormedHttpUrlsAreAccepted() {
        assertThatThrownBy(() -> HttpSource.create("http://bad host/clip.mp4"))
                .isInstanceOf(InvalidSourceException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> HttpSource.create("ftp://example.com/clip.mp4"))
                .isInstanceOf(InvalidSourceException.class).hasMessageContaining("only http and https");
        assertThatThrownBy(() -> HttpSource.create("file:///tmp/clip.mp4"))
                .isInstanceOf(InvalidSourceException.class);
        assertThatThrownBy(() -> HttpSource.create("http:///clip.mp4"))
                .isInstanceOf(InvalidSourceException.class).hasMessageContaining("no host");
        assertThatThrownBy(() -> HttpSource.create("clip.mp4"))
                .isInstanceOf(InvalidSourceException.class);
    }

    @Test
    void speaksCleartextHttp2WithPriorKnowledge() {
        try (TestHttpServer h2c = TestHttpServer.start(Protocol.H2C)) {
            byte[] content = random(300_000);
            HttpSource source = HttpSource.create(h2c.serve("/clip.mp4", content),
                    settings.optProtocols(HttpProtocol.H2C));

            assertThat(readAll(source.read(0, ByteSource.TO_END), 0)).isEqualTo(content);
            assertThat(stats.records()).singleElement()
                    .satisfies(r -> assertThat(r.protocol()).isEqualTo("HTTP/2.0"));
        }
    }

    @Test
    void negotiatesHttp2OverTls() {
        try (TestHttpServer h2 = TestHttpServer.start(Protocol.H2_TLS)) {
            byte[] content = random(300_000);
            HttpSource source = HttpSource.create(h2.serve("/clip.mp4", content),
                    settings.optSslContext(h2.clientSslContext()));

            assertThat(readAll(source.read(1000, ByteSource.TO_END), 1000))
                    .isEqualTo(Arrays.copyOfRange(content, 1000, content.length));
            assertThat(stats.records()).singleElement()
                    .satisfies(r -> assertThat(r.protocol()).isEqualTo("HTTP/2.0"));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
