package dev.reelflux.core;

import dev.reelflux.core.testing.Fault;
import dev.reelflux.core.testing.NettyLeakGate;
import dev.reelflux.core.testing.RequestLog;
import dev.reelflux.core.testing.TestHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ParallelSourceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int MIB = 1 << 20;
    private static final byte[] FILE = random(5 * MIB + 12_345);

    private TestHttpServer server;
    private BufferPool buffers;
    private HttpSettings settings;

    @BeforeEach
    void start() {
        server = TestHttpServer.start();
        buffers = new BufferPool(BufferPool.DEFAULT_BUFFER_SIZE, 64);
        settings = HttpSettings.create().optBufferPool(buffers).optRetry(2, Duration.ofMillis(10));
    }

    @AfterEach
    void stop() {
        server.close();
        assertThat(buffers.outstanding()).as("chunks not released").isZero();
        NettyLeakGate.assertNoLeaks();
    }

    @Test
    void reassemblesTheFileInOrderFromSegmentsFetchedInParallel() {
        URI uri = server.serve("/f.bin", FILE);

        String digest = sha256(parallel(uri, 4).read(0, ByteSource.TO_END), 0);

        assertThat(digest).isEqualTo(sha256(FILE));
        List<RequestLog> requests = server.stats("/f.bin").requests();
        // After the first 128 KiB, the 5,124,153 bytes left in 20 units of about 256,207: a ramp of 1 to 4 units,
        // one more of 4 (1 MiB at most), and a ramp down of 3 to 1.
        assertThat(requests).extracting(RequestLog::range).containsExactlyInAnyOrder(
                "bytes=0-131071", "bytes=131072-387278", "bytes=387279-899693", "bytes=899694-1668316",
                "bytes=1668317-2693147", "bytes=2693148-3717978", "bytes=3717979-4486601", "bytes=4486602-4999016",
                "bytes=4999017-5255224");
        assertThat(requests.stream().map(RequestLog::connectionId).distinct()).as("connections used")
                .hasSizeGreaterThan(1);
    }

    @Test
    void aReadThatEndedAheadOfALongOneFreesItsConnectionForTheNextRead() {
        URI uri = server.serve("/f.bin", FILE);
        server.shape(2_000_000, Duration.ZERO);
        Map<Long, Long> started = new ConcurrentHashMap<>();
        Map<Long, Long> finished = new ConcurrentHashMap<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        HttpSource source = HttpSource.create(uri, settings.optListener(new TransferListener() {
            @Override
            public void requestStarted(URI to, long offset, long length, int attempt) {
                started.put(offset, System.nanoTime());
                mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            }

            @Override
            public void requestFinished(RequestRecord record) {
                finished.put(record.offset(), System.nanoTime());
                inFlight.decrementAndGet();
            }
        }));
        // One long read, then short ones: the second connection goes through the short ones while the long one runs.
        Flux<Flux<Chunk>> reads = Flux.just(source.read(0, 800_000), source.read(800_000, 4000),
                source.read(804_000, 4000), source.read(808_000, 4000));

        String digest = sha256(ParallelSource.of(source).optConnections(2).ordered(reads), 0);

        assertThat(digest).isEqualTo(sha256(java.util.Arrays.copyOfRange(FILE, 0, 812_000)));
        assertThat(mostInFlight).as("requests at once").hasValue(2);
        assertThat(started.get(804_000L)).as("the third read started before the long first one ended")
                .isLessThan(finished.get(0L));
    }

    @Test
    void readsAnInnerRangeInSegmentsToo() {
        URI uri = server.serve("/f.bin", FILE);
        int from = 300_000;
        int length = 3 * MIB;

        String digest = sha256(parallel(uri, 3).read(from, length), from);

        assertThat(digest).isEqualTo(sha256(java.util.Arrays.copyOfRange(FILE, from, from + length)));
        // The first segment, then a ramp of 1, 2 and 3 units and one of 2 and 1.
        assertThat(server.stats("/f.bin").requests()).hasSize(6);
    }

    @Test
    void aShortRestIsSplitEvenlyOverTheConnections() {
        URI uri = server.serve("/short.bin", java.util.Arrays.copyOf(FILE, 1_000_000));

        String digest = sha256(parallel(uri, 4).read(0, ByteSource.TO_END), 0);

        assertThat(digest).isEqualTo(sha256(java.util.Arrays.copyOf(FILE, 1_000_000)));
        // 128 KiB first, then the remaining 868,928 bytes in four segments of 217,232.
        assertThat(server.stats("/short.bin").requests()).extracting(RequestLog::range).containsExactlyInAnyOrder(
                "bytes=0-131071", "bytes=131072-348303", "bytes=348304-565535", "bytes=565536-782767",
                "bytes=782768-999999");
    }

    @Test
    void readsScatteredSpansInOrderAndNothingBetweenThem() {
        URI uri = server.serve("/f.bin", FILE);
        List<ByteSpan> spans = List.of(new ByteSpan(1_000, 5_000), new ByteSpan(400_000, 70_000),
                new ByteSpan(2_000_000, 10), new ByteSpan(5_000_000, 200_000));
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        spans.forEach(span -> expected.write(FILE, (int) span.offset(), (int) span.length()));
        AtomicLong spanIndex = new AtomicLong();

        parallel(uri, 3).read(spans).doOnNext(chunk -> {
            try (chunk) {
                while (!spans.get((int) spanIndex.get()).contains(chunk.offset())) {
                    spanIndex.incrementAndGet();
                }
                ByteSpan span = spans.get((int) spanIndex.get());
                assertThat(chunk.offset() + chunk.remaining()).isLessThanOrEqualTo(span.end());
                got.writeBytes(chunk.toArray());
            }
        }).blockLast(WAIT);

        assertThat(got.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(server.stats("/f.bin").requests()).extracting(RequestLog::range).containsExactlyInAnyOrder(
                "bytes=1000-5999", "bytes=400000-469999", "bytes=2000000-2000009", "bytes=5000000-5199999");
    }

    @Test
    void aSpanLongerThanASegmentIsReadInSegments() {
        URI uri = server.serve("/f.bin", FILE);
        List<ByteSpan> spans = List.of(new ByteSpan(10, 100), new ByteSpan(1_000_000, 2 * MIB + 5));

        String digest = sha256(parallel(uri, 3).read(spans.subList(1, 2)), 1_000_000);
        parallel(uri, 3).read(spans).doOnNext(Chunk::close).blockLast(WAIT);

        assertThat(digest).isEqualTo(sha256(java.util.Arrays.copyOfRange(FILE, 1_000_000, 1_000_000 + 2 * MIB + 5)));
        // Three segments of one size (to a byte), not two of 1 MiB and a five-byte one.
        List<String> segments = List.of("bytes=1000000-1699051", "bytes=1699052-2398103", "bytes=2398104-3097156");
        List<String> expected = new java.util.ArrayList<>(segments);
        expected.add("bytes=10-109");
        expected.addAll(segments);
        assertThat(server.stats("/f.bin").requests()).extracting(RequestLog::range)
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aSegmentThatBreaksIsResumedAloneAndTheBytesStillMatch() {
        URI uri = server.serve("/f.bin", FILE);
        server.fault("/f.bin", Fault.resetAt(3 * MIB).times(1));

        String digest = sha256(parallel(uri, 4).read(0, ByteSource.TO_END), 0);

        assertThat(digest).isEqualTo(sha256(FILE));
        List<RequestLog> requests = server.stats("/f.bin").requests();
        assertThat(requests).hasSize(10);
        // The resume starts where the broken segment stopped and ends where that segment ends.
        assertThat(requests).extracting(RequestLog::range).filteredOn(range -> range.endsWith("-3717978"))
                .hasSize(2).element(1).isNotEqualTo("bytes=2693148-3717978");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void reassemblesTheFileInOrderUnderRandomDelaysAndFailures(long seed) {
        Random random = new Random(seed);
        URI uri = server.serve("/f.bin", FILE);
        long at = 1 + random.nextInt(FILE.length - 1);
        Fault fault = switch (random.nextInt(3)) {
            case 0 -> Fault.resetAt(at).times(1 + random.nextInt(2));
            case 1 -> Fault.truncateAt(at).times(1);
            default -> Fault.status(503).times(1 + random.nextInt(2));
        };
        server.fault("/f.bin", fault);
        TransferStats stats = new TransferStats();
        ByteSource delayed = withRandomDelays(HttpSource.create(uri, settings.optListener(stats)), random);
        ParallelSource parallel = ParallelSource.of(delayed).optConnections(2 + random.nextInt(5))
                .optSegmentSize((64 << 10) + random.nextInt(MIB));

        String digest = sha256(parallel.read(0, ByteSource.TO_END), 0);

        assertThat(digest).as("%s with %s", fault, parallel).isEqualTo(sha256(FILE));
        assertThat(stats.retries()).as("retries after %s", fault).isPositive();
    }

    /** {@code source} whose every read starts after a random pause of up to 40 ms, so segments end out of order. */
    private static ByteSource withRandomDelays(ByteSource source, Random random) {
        return new ByteSource() {
            @Override
            public Flux<Chunk> read(long offset, long length) {
                Duration pause = Duration.ofMillis(random.nextInt(40));
                return reactor.core.publisher.Mono.delay(pause).thenMany(source.read(offset, length));
            }

            @Override
            public reactor.core.publisher.Mono<SourceInfo> info() {
                return source.info();
            }

            @Override
            public URI uri() {
                return source.uri();
            }
        };
    }

    @Test
    void aServerThatIgnoresRangeStillGivesTheWholeFileInOrder() {
        URI uri = server.serve("/f.bin", FILE);
        server.fault("/f.bin", Fault.ignoreRange());

        assertThat(sha256(parallel(uri, 4).read(0, ByteSource.TO_END), 0)).isEqualTo(sha256(FILE));
        assertThat(server.stats("/f.bin").requests()).hasSize(2);
    }

    @Test
    void aSlowConsumerHoldsOnlyABoundedWindow() throws InterruptedException {
        URI uri = server.serve("/big.bin", dev.reelflux.core.testing.Content.synthetic(64L * MIB));
        HoldingSubscriber holder = new HoldingSubscriber();

        parallel(uri, 4).read(0, ByteSource.TO_END).subscribe(holder);
        Thread.sleep(1_000);

        long sent = server.stats("/big.bin").bytesSent();
        holder.dispose();
        // The first segment and four 1 MiB segments, plus what sockets buffer: far below the 64 MiB file.
        assertThat(sent).isLessThan(12L * MIB);
        assertThat(holder.received.get()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 16})
    void theWindowBoundsTheChunksHeldForAStalledConsumer(int window) throws InterruptedException {
        URI uri = server.serve("/big.bin", dev.reelflux.core.testing.Content.synthetic(64L * MIB));
        HoldingSubscriber holder = new HoldingSubscriber();

        parallel(uri, 4).optSegmentSize(8 * MIB).optWindow(window).read(0, ByteSource.TO_END).subscribe(holder);
        // Each of the four segments in flight fills its window (the first one less the chunk handed on), no more.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (buffers.outstanding() < 3L * window && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(200);

        long held = buffers.outstanding();
        holder.dispose();
        assertThat(held).as("chunks held with a window of %d", window).isBetween(3L * window, 4L * window);
    }

    @Test
    void cancellingClosesEveryChunkItHeld() {
        URI uri = server.serve("/f.bin", FILE);

        List<Chunk> first = parallel(uri, 4).read(0, ByteSource.TO_END).take(3).collectList().block(WAIT);

        first.forEach(Chunk::close);
        // The chunks of the segments read ahead were closed by the cancel: stop() checks the pool.
    }

    @Test
    void adaptiveConnectionsGrowToTheCapWhenEachConnectionIsLimited() {
        // 1 MB/s per connection and a link that would carry 100: every connection added pays.
        assertThat(connectionsAtTheEnd(1_000_000, 100_000_000)).isEqualTo(8);
    }

    @Test
    void adaptiveConnectionsStopGrowingWhenTheLinkIsFull() {
        // A link of 4 MB/s that one connection alone can fill: eight connections only share it, so it goes back to
        // the four it started with.
        assertThat(connectionsAtTheEnd(100_000_000, 4_000_000)).isEqualTo(4);
    }

    /**
     * Reads FILE over a simulated link in virtual time with up to 8 adaptive connections; the most reads at once over
     * its last third, once the count has settled.
     */
    private int connectionsAtTheEnd(double perConnection, double link) {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        SimulatedLink simulated = new SimulatedLink(FILE, perConnection, link, buffers, time);
        MessageDigest digest = digest();
        AtomicLong expected = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        ParallelSource.of(simulated).optAdaptiveConnections(8).optSegmentSize(64 << 10).optTimer(time)
                .read(0, ByteSource.TO_END)
                .doFinally(signal -> done.set(true))
                .subscribe(chunk -> {
                    try (chunk) {
                        assertThat(chunk.offset()).isEqualTo(expected.getAndAdd(chunk.remaining()));
                        digest.update(chunk.data());
                    }
                });
        for (int ms = 0; !done.get() && ms < 60_000; ms++) {
            time.advanceTimeBy(Duration.ofMillis(1));
        }
        assertThat(done).isTrue();
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(sha256(FILE));
        return simulated.latePeak.get();
    }

    @Test
    void oneConnectionIsAPlainRead() {
        URI uri = server.serve("/f.bin", FILE);

        assertThat(sha256(parallel(uri, 1).read(0, ByteSource.TO_END), 0)).isEqualTo(sha256(FILE));
        assertThat(server.stats("/f.bin").requests()).extracting(RequestLog::range).containsExactly("bytes=0-");
    }

    @Test
    void settingsWithSeveralConnectionsOpenAParallelSource() {
        URI uri = server.serve("/f.mp4", FILE);

        ByteSource source = ByteSource.open(uri, settings.optConnections(3));

        assertThat(source).isInstanceOf(ParallelSource.class);
        assertThat(((ParallelSource) source).connections()).isEqualTo(3);
        assertThat(ByteSource.open(uri, settings.optAdaptiveConnections(8).optSegmentSize(MIB / 2).optWindow(5)))
                .hasToString("ParallelSource[" + uri + ", up to 8 connections, segments of 524288 bytes after"
                        + " 131072, window of 5 chunks]");
        assertThat(ByteSource.open(uri, settings)).isInstanceOf(HttpSource.class);
    }

    private ParallelSource parallel(URI uri, int connections) {
        return ParallelSource.of(HttpSource.create(uri, settings)).optConnections(connections);
    }

    /** Digests the chunks, checking that each starts where the previous one ended, and closes them. */
    private static String sha256(Flux<Chunk> chunks, long firstOffset) {
        MessageDigest digest = digest();
        AtomicLong expected = new AtomicLong(firstOffset);
        chunks.doOnNext(chunk -> {
            try (chunk) {
                assertThat(chunk.offset()).isEqualTo(expected.get());
                expected.addAndGet(chunk.remaining());
                digest.update(chunk.data());
            }
        }).blockLast(WAIT);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /**
     * Bytes behind a simulated link: each read gets at most {@code perRead} bytes a second, and all reads together
     * share {@code total}. Counts the most reads running at once among those of the file's last third.
     */
    private static final class SimulatedLink implements ByteSource {
        private static final int CHUNK = 32 << 10;
        final byte[] data;
        final double perRead;
        final double total;
        final BufferPool pool;
        final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger latePeak = new java.util.concurrent.atomic.AtomicInteger();

        final VirtualTimeScheduler time;

        SimulatedLink(byte[] data, double perRead, double total, BufferPool pool, VirtualTimeScheduler time) {
            this.data = data;
            this.perRead = perRead;
            this.total = total;
            this.pool = pool;
            this.time = time;
        }

        @Override
        public Flux<Chunk> read(long offset, long length) {
            long end = length == TO_END ? data.length : Math.min(data.length, offset + length);
            return Flux.defer(() -> {
                int now = active.incrementAndGet();
                if (offset >= data.length * 2L / 3) {
                    latePeak.accumulateAndGet(now, Math::max);
                }
                return Flux.range(0, (int) ((end - offset + CHUNK - 1) / CHUNK))
                        .concatMap(i -> {
                            long at = offset + (long) i * CHUNK;
                            int n = (int) Math.min(CHUNK, end - at);
                            double rate = Math.min(perRead, total / active.get());
                            return reactor.core.publisher.Mono.delay(Duration.ofNanos((long) (n / rate * 1e9)), time)
                                    .map(tick -> pool.copyOf(java.nio.ByteBuffer.wrap(data, (int) at, n), at));
                        })
                        // Before the end travels on, or the next read, admitted on it, would overlap this one.
                        .doOnTerminate(active::decrementAndGet)
                        .doOnCancel(active::decrementAndGet);
            });
        }

        @Override
        public reactor.core.publisher.Mono<SourceInfo> info() {
            return reactor.core.publisher.Mono.just(new SourceInfo(data.length, true, null));
        }

        @Override
        public URI uri() {
            return URI.create("simulated:link");
        }
    }

    /** Takes one chunk and then asks for nothing more, as a stalled decoder would. */
    private static final class HoldingSubscriber extends BaseSubscriber<Chunk> {
        final AtomicLong received = new AtomicLong();

        @Override
        protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
            request(1);
        }

        @Override
        protected void hookOnNext(Chunk chunk) {
            received.incrementAndGet();
            chunk.close();
        }
    }
}
