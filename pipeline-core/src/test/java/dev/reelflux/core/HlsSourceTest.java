package dev.reelflux.core;

import dev.reelflux.core.testing.Fault;
import dev.reelflux.core.testing.NettyLeakGate;
import dev.reelflux.core.testing.RequestLog;
import dev.reelflux.core.testing.TestHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HLS playlists served by a real HTTP server: the stream is the segments' bytes back to back, whatever the way they
 * are laid out (files, byte ranges of one file, AES-128, a master playlist's variant).
 */
class HlsSourceTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int SEGMENTS = 5;

    private final TestHttpServer server = TestHttpServer.start();
    private final BufferPool buffers = new BufferPool(BufferPool.DEFAULT_BUFFER_SIZE, 32);
    private final HttpSettings settings = HttpSettings.create().optBufferPool(buffers);
    private final byte[] stream = random(600_000, 1);

    @AfterEach
    void stop() throws InterruptedException {
        // A read cut short cancels the segments fetched ahead, whose chunks in flight are closed as they arrive.
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (buffers.outstanding() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        server.close();
        assertThat(buffers.outstanding()).as("chunks not released").isZero();
        NettyLeakGate.assertNoLeaks();
    }

    @Test
    void segmentsOfAMediaPlaylistComeBackToBackInOrder() {
        StringBuilder playlist = header();
        for (int i = 0; i < SEGMENTS; i++) {
            server.serve("/v/seg" + i + ".ts", segment(i));
            playlist.append("#EXTINF:2.0,\nseg").append(i).append(".ts\n");
        }
        URI uri = server.serve("/v/index.m3u8", playlist.append("#EXT-X-ENDLIST\n").toString().getBytes());

        assertThat(readAll(HlsSource.create(uri, settings).optConnections(3), 0, ByteSource.TO_END)).isEqualTo(stream);
        assertThat(readAll(HlsSource.create(uri, settings), 250_000, 1000))
                .isEqualTo(Arrays.copyOfRange(stream, 250_000, 251_000));
    }

    @Test
    void theFirstSegmentIsSpreadOverTheConnectionsTheNextOnesReadInPartsThatGrowAndTheLastOnesInSmallParts() {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        StringBuilder playlist = header();
        for (int i = 0; i < 5; i++) {
            byte[] segment = i == 0 ? stream : random(600_000, 6 + i);
            expected.writeBytes(segment);
            server.serve("/big/seg" + i + ".ts", segment);
            playlist.append("#EXTINF:2,\nseg").append(i).append(".ts\n");
        }
        URI uri = server.serve("/big/index.m3u8", playlist.append("#EXT-X-ENDLIST\n").toString().getBytes());

        assertThat(readAll(HlsSource.create(uri, settings).optConnections(4), 0, ByteSource.TO_END))
                .isEqualTo(expected.toByteArray());
        // Over 4 connections a unit is a quarter MiB: the first segment's first unit, then the rest of it in 4
        // parts; the next segments' first reads grow by a unit each; the last two (half the connections) are read in
        // parts of at most one unit, even in size, so that the connections end together.
        assertThat(server.stats("/big/seg0.ts").requests()).hasSize(5).extracting(RequestLog::range)
                .contains("bytes=0-262143");
        assertThat(server.stats("/big/seg1.ts").requests()).extracting(RequestLog::range)
                .containsExactly("bytes=0-524287", "bytes=524288-599999");
        // Grown to a whole part, a first read asks for two.
        assertThat(server.stats("/big/seg2.ts").requests()).extracting(RequestLog::range)
                .containsExactly("bytes=0-2097151");
        for (String last : List.of("/big/seg3.ts", "/big/seg4.ts")) {
            assertThat(server.stats(last).requests()).extracting(RequestLog::range)
                    .containsExactlyInAnyOrder("bytes=0-262143", "bytes=262144-431071", "bytes=431072-599999");
        }
    }

    @Test
    void behindAServerThatIgnoresRangesEachSegmentAfterTheFirstIsOneRead() {
        StringBuilder playlist = header();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            byte[] segment = random(600_000, 20 + i);
            expected.writeBytes(segment);
            server.serve("/plain/seg" + i + ".ts", segment);
            server.fault("/plain/seg" + i + ".ts", Fault.ignoreRange());
            playlist.append("#EXTINF:2,\nseg").append(i).append(".ts\n");
        }
        URI uri = server.serve("/plain/index.m3u8", playlist.append("#EXT-X-ENDLIST\n").toString().getBytes());

        assertThat(readAll(HlsSource.create(uri, settings).optConnections(4), 0, ByteSource.TO_END))
                .isEqualTo(expected.toByteArray());
        assertThat(server.stats("/plain/seg0.ts").requests()).as("a first part, then the rest").hasSize(2);
        assertThat(server.stats("/plain/seg1.ts").requests()).as("whole").hasSize(1);
        assertThat(server.stats("/plain/seg2.ts").requests()).as("whole").hasSize(1);
    }

    @Test
    void anInitSectionThatReplacesAnotherOrFollowsADiscontinuityStartsAStreamOfItsOwn() {
        byte[] init = random(3_000, 8);
        byte[] otherInit = random(2_000, 9);
        byte[] media = random(40_000, 10);
        server.serve("/f/init.mp4", init);
        server.serve("/f/other.mp4", otherInit);
        server.serve("/f/seg.m4s", media);
        URI uri = server.serve("/f/index.m3u8", (header() + "#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2,\nseg.m4s\n"
                + "#EXTINF:2,\nseg.m4s\n#EXT-X-MAP:URI=\"other.mp4\"\n#EXTINF:2,\nseg.m4s\n"
                + "#EXT-X-DISCONTINUITY\n#EXTINF:2,\nseg.m4s\n#EXT-X-ENDLIST\n").getBytes());

        List<Long> starts = new ArrayList<>();
        HlsSource.create(uri, settings).read(0, ByteSource.TO_END).doOnNext(chunk -> {
            try (chunk) {
                if (chunk.startsStream()) {
                    starts.add(chunk.offset());
                }
            }
        }).blockLast(WAIT);

        long second = init.length + 2L * media.length;
        long third = second + otherInit.length + media.length;
        assertThat(starts).as("the new section, then the same one again after the discontinuity")
                .containsExactly(second, third);
    }

    @Test
    void byteRangeSegmentsReadTheirRangesOfOneFile() {
        server.serve("/v/all.ts", stream);
        StringBuilder playlist = header();
        long at = 0;
        for (int i = 0; i < SEGMENTS; i++) {
            int length = segment(i).length;
            // The first range gives its offset; the others follow on from the previous one.
            playlist.append("#EXTINF:2.0,\n#EXT-X-BYTERANGE:").append(length).append(i == 0 ? "@" + at : "")
                    .append("\nall.ts\n");
            at += length;
        }
        URI uri = server.serve("/v/ranges.m3u8", playlist.append("#EXT-X-ENDLIST\n").toString().getBytes());

        assertThat(readAll(HlsSource.create(uri, settings), 0, ByteSource.TO_END)).isEqualTo(stream);
    }

    @Test
    void aes128SegmentsAreDecryptedWithTheKeyFetchedOnce() throws Exception {
        byte[] key = random(16, 2);
        server.serve("/keys/k1", key);
        StringBuilder playlist = header().append("#EXT-X-MEDIA-SEQUENCE:7\n")
                .append("#EXT-X-KEY:METHOD=AES-128,URI=\"/keys/k1\"\n");
        byte[] explicitIv = random(16, 3);
        for (int i = 0; i < SEGMENTS; i++) {
            // The last segments name their IV; the first ones take the media sequence number.
            byte[] iv = i >= 3 ? explicitIv : ByteBuffer.allocate(16).putLong(8, 7 + i).array();
            if (i == 3) {
                playlist.append(keyTag(explicitIv));
            }
            server.serve("/v/enc" + i + ".ts", encrypt(segment(i), key, iv));
            playlist.append("#EXTINF:2.0,\nenc").append(i).append(".ts\n");
        }
        URI uri = server.serve("/v/enc.m3u8", playlist.append("#EXT-X-ENDLIST\n").toString().getBytes());

        assertThat(readAll(HlsSource.create(uri, settings), 0, ByteSource.TO_END)).isEqualTo(stream);
        assertThat(server.stats("/keys/k1").requests()).hasSize(1);
    }

    @Test
    void encryptedSegmentsAreReadInPartsLikeClearOnesEachPartFromTheCiphertextBlockBeforeIt() throws Exception {
        byte[] key = random(16, 2);
        server.serve("/keys/k1", key);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        StringBuilder playlist = header().append("#EXT-X-KEY:METHOD=AES-128,URI=\"/keys/k1\"\n");
        for (int i = 0; i < 5; i++) {
            // Lengths that are no whole number of blocks: each segment's padding differs.
            byte[] plain = random(600_000 + 3 * i, 20 + i);
            expected.writeBytes(plain);
            server.serve("/enc/seg" + i + ".ts", encrypt(plain, key, ByteBuffer.allocate(16).putLong(8, i).array()));
            playlist.append("#EXTINF:2,\nseg").append(i).append(".ts\n");
        }
        URI uri = server.serve("/enc/index.m3u8", playlist.append("#EXT-X-ENDLIST\n").toString().getBytes());

        assertThat(readAll(HlsSource.create(uri, settings).optConnections(4), 0, ByteSource.TO_END))
                .isEqualTo(expected.toByteArray());
        // The first segment as a clear one is read: its first quarter MiB, then the rest over the connections, each
        // part asking for the block before it too.
        assertThat(server.stats("/enc/seg0.ts").requests()).hasSize(5).extracting(RequestLog::range)
                .contains("bytes=0-262143").anyMatch(range -> range.startsWith("bytes=262128-"));
        for (int i = 0; i < 5; i++) {
            assertThat(server.stats("/enc/seg" + i + ".ts").requests()).extracting(RequestLog::range)
                    .as("seg%d: no request of its own for the size", i).doesNotContain("bytes=0-0");
        }
        assertThat(server.stats("/keys/k1").requests()).hasSize(1);
    }

    @Test
    void anEncryptedSegmentIsDecryptedAsItArrives() throws Exception {
        byte[] key = random(16, 2);
        byte[] iv = random(16, 3);
        byte[] plain = segment(1);
        byte[] encrypted = encrypt(plain, key, iv);
        server.serve("/keys/k1", key);
        server.serve("/v/enc.ts", encrypted);
        server.fault("/v/enc.ts", Fault.stallAt(encrypted.length / 2));
        URI uri = server.serve("/v/stalled.m3u8", (header() + keyTag(iv) + "#EXTINF:2,\nenc.ts\n#EXT-X-ENDLIST\n")
                .getBytes());

        // Held whole before decryption, the segment would give nothing: the stall holds its last bytes back.
        byte[] first = HlsSource.create(uri, settings).read(0, ByteSource.TO_END).next().map(chunk -> {
            try (chunk) {
                byte[] bytes = new byte[chunk.remaining()];
                chunk.data().get(bytes);
                return bytes;
            }
        }).block(WAIT);
        assertThat(first).isNotEmpty().isEqualTo(Arrays.copyOf(plain, first.length));
    }

    @Test
    void bytesThatDoNotDecryptWithTheKeyFailTyped() throws Exception {
        byte[] key = random(16, 2);
        byte[] iv = random(16, 3);
        byte[] encrypted = encrypt(segment(1), key, iv);
        server.serve("/keys/k1", key);
        server.serve("/v/cut.ts", Arrays.copyOf(encrypted, encrypted.length - 5));
        URI uri = server.serve("/v/cut.m3u8", (header() + keyTag(iv) + "#EXTINF:2,\ncut.ts\n#EXT-X-ENDLIST\n")
                .getBytes());

        assertThatThrownBy(() -> readAll(HlsSource.create(uri, settings), 0, ByteSource.TO_END))
                .isInstanceOf(PlaylistException.class).hasMessageContaining("cut.ts")
                .hasMessageContaining("AES-128 decryption failed");
    }

    @Test
    void aMasterPlaylistIsFollowedToTheVariantTheRulePicks() {
        byte[] low = random(50_000, 4);
        byte[] high = random(90_000, 5);
        server.serve("/low/seg.ts", low);
        server.serve("/high/seg.ts", high);
        server.serve("/low/index.m3u8", (header() + "#EXTINF:2,\nseg.ts\n#EXT-X-ENDLIST\n").getBytes());
        server.serve("/high/index.m3u8", (header() + "#EXTINF:2,\nseg.ts\n#EXT-X-ENDLIST\n").getBytes());
        URI master = server.serve("/master.m3u8", ("#EXTM3U\n"
                + "#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS=\"avc1.4d401e\"\nlow/index.m3u8\n"
                + "#EXT-X-STREAM-INF:BANDWIDTH=3000000,RESOLUTION=1280x720\nhigh/index.m3u8\n").getBytes());

        PipelineRecorder recorder = PipelineRecorder.start();
        HlsSource followed = HlsSource.create(master, settings.optListener(recorder));
        assertThat(readAll(followed, 0, ByteSource.TO_END)).isEqualTo(high);
        assertThat(recorder.report(false, null).hls().variant()).as("the report names the variant")
                .isEqualTo(new HlsSource.Variant(server.uri("/high/index.m3u8"), 3_000_000, 1280, 720));
        assertThat(readAll(HlsSource.create(master, settings).optVariant(HlsSource.VariantRule.LOWEST_BANDWIDTH), 0,
                ByteSource.TO_END)).isEqualTo(low);
        assertThat(readAll(HlsSource.create(master, settings).optMaxHeight(480), 0, ByteSource.TO_END))
                .isEqualTo(low);
    }

    @Test
    void whatCannotBeFollowedFailsTyped() {
        URI notAPlaylist = server.serve("/v/clip.m3u8", "<html>not found</html>".getBytes());
        URI sampleAes = server.serve("/v/drm.m3u8", (header()
                + "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://key\",KEYFORMAT=\"com.apple.streamingkeydelivery\"\n"
                + "#EXTINF:2,\nseg.ts\n#EXT-X-ENDLIST\n").getBytes());
        server.serve("/v/seg.ts", segment(0));
        URI empty = server.serve("/v/empty.m3u8", (header() + "#EXT-X-ENDLIST\n").getBytes());
        URI noExtinf = server.serve("/v/bad.m3u8", (header() + "seg.ts\n").getBytes());
        URI missing = server.serve("/v/missing.m3u8", (header() + "#EXTINF:2,\nnone.ts\n#EXT-X-ENDLIST\n").getBytes());

        assertThatThrownBy(() -> readAll(HlsSource.create(notAPlaylist, settings), 0, ByteSource.TO_END))
                .isInstanceOf(PlaylistException.class).hasMessageContaining("#EXTM3U");
        assertThatThrownBy(() -> readAll(HlsSource.create(sampleAes, settings), 0, ByteSource.TO_END))
                .isInstanceOf(UnsupportedEncryptionException.class).hasMessageContaining("SAMPLE-AES");
        assertThatThrownBy(() -> readAll(HlsSource.create(empty, settings), 0, ByteSource.TO_END))
                .isInstanceOf(PlaylistException.class).hasMessageContaining("without segments");
        assertThatThrownBy(() -> readAll(HlsSource.create(noExtinf, settings), 0, ByteSource.TO_END))
                .isInstanceOf(PlaylistException.class).hasMessageContaining("#EXTINF");
        assertThatThrownBy(() -> readAll(HlsSource.create(missing, settings), 0, ByteSource.TO_END))
                .isInstanceOf(HttpStatusException.class).hasMessageContaining("404");
    }

    @Test
    void aLivePlaylistIsJoinedAtItsEdgeAndFollowedUntilItEnds() throws Exception {
        // Each reload finds one more segment; the fifth version ends the stream.
        List<String> versions = new ArrayList<>();
        for (int listed = 3; listed <= SEGMENTS; listed++) {
            versions.add(live(0, listed, listed == SEGMENTS));
        }
        serveSegments("/live/seg");
        try (LivePlaylist playlist = new LivePlaylist("/live/index.m3u8", versions)) {
            HlsSource source = HlsSource.create(playlist.uri, settings);

            // Three segments listed at the start: the edge is the first of the last three, segment 0.
            assertThat(readAll(source, 0, ByteSource.TO_END)).isEqualTo(stream);
            assertThat(source.skippedSegments()).isZero();
            assertThat(playlist.reloads()).isEqualTo(versions.size());
        }
    }

    @Test
    void aLiveStreamSkipsAndCountsWhatItCouldNotRead() throws Exception {
        serveSegments("/live/seg");
        // Segment 2 is listed but gone; the next version has slid past segment 3.
        server.fault("/live/seg2.ts", Fault.status(404));
        List<String> versions = List.of(live(0, 3, false), live(4, SEGMENTS, true));
        try (LivePlaylist playlist = new LivePlaylist("/live/index.m3u8", versions)) {
            PipelineRecorder recorder = PipelineRecorder.start();
            HlsSource source = HlsSource.create(playlist.uri, settings.optListener(recorder))
                    .optLiveStart(HlsSource.LiveStart.START);

            byte[] read = readAll(source, 0, ByteSource.TO_END);

            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int i : new int[] {0, 1, 4}) {
                expected.writeBytes(segment(i));
            }
            assertThat(read).isEqualTo(expected.toByteArray());
            assertThat(source.skippedSegments()).as("segment 2 gone, segment 3 slid out").isEqualTo(2);
            assertThat(recorder.report(false, null).hls()).isEqualTo(new PipelineReport.Hls(null, 2));
        }
    }

    @Test
    void aSegmentThatBreaksIsResumedAloneAndOneThatStallsFailsTyped() {
        serveSegments("/v/seg");
        StringBuilder playlist = header();
        for (int i = 0; i < SEGMENTS; i++) {
            playlist.append("#EXTINF:2.0,\nseg").append(i).append(".ts\n");
        }
        URI uri = server.serve("/v/faulty.m3u8", playlist.append("#EXT-X-ENDLIST\n").toString().getBytes());
        server.fault("/v/seg2.ts", Fault.resetAt(10_000).times(1));

        assertThat(readAll(HlsSource.create(uri, settings), 0, ByteSource.TO_END)).isEqualTo(stream);
        assertThat(server.stats("/v/seg2.ts").requests()).as("the broken segment, and its resume").hasSize(2);
        assertThat(server.stats("/v/seg1.ts").requests()).hasSize(1);

        server.fault("/v/seg3.ts", Fault.stallAt(1000));
        HttpSettings impatient = settings.optIdleTimeout(Duration.ofMillis(300));
        assertThatThrownBy(() -> readAll(HlsSource.create(uri, impatient), 0, ByteSource.TO_END))
                .isInstanceOf(StallException.class).hasMessageContaining("seg3.ts");
    }

    @Test
    void malformedPlaylistsFailTyped() {
        server.serve("/v/seg.ts", segment(0));
        URI garbage = server.serve("/v/garbage.m3u8", random(2000, 9));
        URI negative = server.serve("/v/negative.m3u8",
                (header() + "#EXTINF:-2,\nseg.ts\n#EXT-X-ENDLIST\n").getBytes());
        URI noTarget = server.serve("/v/notarget.m3u8", "#EXTM3U\n#EXTINF:2,\nseg.ts\n".getBytes());
        URI itself = server.serve("/v/self.m3u8", (header() + "#EXTINF:2,\nself.m3u8\n#EXT-X-ENDLIST\n").getBytes());
        URI selfMaster = server.serve("/v/master.m3u8",
                "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nmaster.m3u8\n".getBytes());
        URI badKey = server.serve("/v/badkey.m3u8", (header() + "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x12\n"
                + "#EXTINF:2,\nseg.ts\n#EXT-X-ENDLIST\n").getBytes());

        for (URI uri : List.of(garbage, negative, noTarget, itself, selfMaster, badKey)) {
            assertThatThrownBy(() -> readAll(HlsSource.create(uri, settings), 0, ByteSource.TO_END)).as("%s", uri)
                    .isInstanceOf(PlaylistException.class).hasMessageContaining(uri.getPath());
        }
    }

    @Test
    void anM3u8UrlOpensAsHls() {
        assertThat(ByteSource.open(URI.create("http://example.com/live/index.m3u8?token=1"), settings))
                .isInstanceOf(HlsSource.class);
        assertThat(ByteSource.open(URI.create("http://example.com/clip.mp4"), settings))
                .isInstanceOf(HttpSource.class);
    }

    private void serveSegments(String prefix) {
        for (int i = 0; i < SEGMENTS; i++) {
            server.serve(prefix + i + ".ts", segment(i));
        }
    }

    /** A live playlist listing segments {@code from} to {@code to} (exclusive), ended or not. */
    private static String live(int from, int to, boolean ended) {
        StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:")
                .append(from).append('\n');
        for (int i = from; i < to; i++) {
            playlist.append("#EXTINF:0.2,\nseg").append(i).append(".ts\n");
        }
        return playlist.append(ended ? "#EXT-X-ENDLIST\n" : "").toString();
    }

    /** A playlist that moves to its next version each time it is fetched, as a live one grows between reloads. */
    private final class LivePlaylist implements AutoCloseable {
        final URI uri;
        private final String path;
        private final List<String> versions;
        private final Thread follower;

        LivePlaylist(String path, List<String> versions) {
            this.path = path;
            this.versions = versions;
            this.uri = server.serve(path, versions.get(0).getBytes());
            this.follower = new Thread(() -> {
                int served = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    int fetched = reloads();
                    if (fetched > served && fetched < versions.size()) {
                        served = fetched;
                        server.serve(path, versions.get(served).getBytes());
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "live-playlist");
            follower.start();
        }

        int reloads() {
            return server.stats(path).requests().size();
        }

        @Override
        public void close() throws InterruptedException {
            follower.interrupt();
            follower.join();
        }
    }

    private static StringBuilder header() {
        return new StringBuilder("#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:2\n");
    }

    /** The stream cut into {@value #SEGMENTS} uneven pieces, as segments of 188-byte TS packets would be. */
    private byte[] segment(int i) {
        int[] cuts = {0, 188 * 300, 188 * 1100, 188 * 1500, 188 * 2600, stream.length};
        return Arrays.copyOfRange(stream, cuts[i], cuts[i + 1]);
    }

    private static String keyTag(byte[] iv) {
        return "#EXT-X-KEY:METHOD=AES-128,URI=\"/keys/k1\",IV=0x" + HexFormat.of().formatHex(iv) + "\n";
    }

    private static byte[] encrypt(byte[] plain, byte[] key, byte[] iv) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        return cipher.doFinal(plain);
    }

    private static byte[] readAll(ByteSource source, long offset, long length) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        long[] expected = {offset};
        source.read(offset, length).doOnNext(chunk -> {
            try (chunk) {
                assertThat(chunk.offset()).isEqualTo(expected[0]);
                expected[0] += chunk.remaining();
                all.writeBytes(chunk.toArray());
            }
        }).blockLast(WAIT);
        return all.toByteArray();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
