package dev.reelflux.decoders;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.HlsSource;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.testing.Content;
import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.decoders.testing.TestVideo.Container;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * HLS decoded through {@link HlsSource}: FFmpeg's own {@code hls} muxer's playlists (TS segments, fragmented MP4
 * segments after an init section, byte ranges of one file), and a TS clip cut into segments at packet boundaries.
 * Each gives the frames of the same clip decoded whole.
 */
@ExtendWith(NativeLeakGate.class)
class HlsDecodeTest {

    private static final int PACKET = 188;
    private static final int FRAMES = 75;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Container.class, names = {"HLS_TS", "HLS_FMP4", "HLS_BYTE_RANGES", "HLS_AES_128"})
    void ffmpegsHlsMuxerOutputDecodesToTheFramesOfTheClip(Container container) throws IOException {
        TestVideo spec = TestVideo.create().optSize(320, 240).optFrames(FRAMES).optGop(25);
        List<String> whole = wholeClip(spec);
        Path hls = Files.createDirectories(dir.resolve(container.name()));
        spec.optContainer(container).writeTo(hls.resolve("index.m3u8"));

        try (TestHttpServer server = TestHttpServer.start()) {
            server.serveAll("/hls/", hls);
            URI playlist = server.uri("/hls/index.m3u8");
            String text = Files.readString(hls.resolve("index.m3u8"));
            assertThat(text).contains("#EXT-X-ENDLIST");

            List<String> streamed = Frames.each(VideoDecoder.create().decode(HlsSource.create(playlist,
                    HttpSettings.create())), HlsDecodeTest::stamp);

            assertThat(streamed).hasSize(FRAMES).isEqualTo(whole);
        }
    }

    @Test
    void aTsClipCutAtPacketBoundariesDecodesToTheFramesOfTheWholeClip() {
        byte[] clip = TestVideo.create().optContainer(Container.MPEGTS).optSize(320, 240).optFrames(100).optGop(25)
                .toBytes();
        List<String> whole = Frames.each(VideoDecoder.create().decode(MemorySource.of(clip)), HlsDecodeTest::stamp);
        int packets = clip.length / PACKET;

        try (TestHttpServer server = TestHttpServer.start()) {
            StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-PLAYLIST-TYPE:VOD\n");
            int segments = 4;
            for (int i = 0; i < segments; i++) {
                int from = packets * i / segments * PACKET;
                int to = i == segments - 1 ? clip.length : packets * (i + 1) / segments * PACKET;
                server.serve("/hls/seg" + i + ".ts", Arrays.copyOfRange(clip, from, to));
                playlist.append("#EXTINF:1.0,\nseg").append(i).append(".ts\n");
            }
            URI uri = server.serve("/hls/index.m3u8", playlist.append("#EXT-X-ENDLIST\n").toString().getBytes());

            List<String> streamed = Frames.each(VideoDecoder.create().decode(HlsSource.create(uri,
                    HttpSettings.create())), HlsDecodeTest::stamp);

            assertThat(streamed).hasSize(100).isEqualTo(whole);
        }
    }

    @Test
    void aMasterPlaylistOfTwoVariantsDecodesTheOneItsRulePicks() throws IOException {
        TestVideo high = TestVideo.create().optSize(320, 240).optFrames(FRAMES).optGop(25);
        TestVideo low = high.optSize(160, 120);
        high.optContainer(Container.HLS_TS).writeTo(Files.createDirectories(dir.resolve("high")).resolve("index.m3u8"));
        low.optContainer(Container.HLS_TS).writeTo(Files.createDirectories(dir.resolve("low")).resolve("index.m3u8"));
        String master = """
                #EXTM3U
                #EXT-X-STREAM-INF:BANDWIDTH=150000,RESOLUTION=160x120
                low/index.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=600000,RESOLUTION=320x240
                high/index.m3u8
                """;

        try (TestHttpServer server = TestHttpServer.start()) {
            server.serveAll("/hls/high/", dir.resolve("high"));
            server.serveAll("/hls/low/", dir.resolve("low"));
            URI uri = server.serve("/hls/master.m3u8", master.getBytes(StandardCharsets.UTF_8));

            assertThat(Frames.each(VideoDecoder.create().decode(uri), HlsDecodeTest::stamp))
                    .as("the highest resolution, by default").isEqualTo(wholeClip(high));
            HlsSource lowest = HlsSource.create(uri, HttpSettings.create())
                    .optVariant(HlsSource.VariantRule.LOWEST_BANDWIDTH);
            assertThat(Frames.each(VideoDecoder.create().decode(lowest), HlsDecodeTest::stamp))
                    .isEqualTo(wholeClip(low));
            assertThat(server.stats("/hls/high/index.m3u8").requests()).hasSize(1);
        }
    }

    @Test
    void aLiveStreamWhoseWindowSlidesWithTimeDecodesToTheFramesOfTheWholeClip() throws Exception {
        TestVideo spec = TestVideo.create().optSize(320, 240).optFrames(150).optGop(25);
        Path hls = Files.createDirectories(dir.resolve("live"));
        spec.optContainer(Container.HLS_TS).writeTo(hls.resolve("vod.m3u8"));
        List<String> segments = Files.readAllLines(hls.resolve("vod.m3u8")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertThat(segments).hasSizeGreaterThan(4);

        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        try (TestHttpServer server = TestHttpServer.start()) {
            server.serveAll("/live/", hls);
            // A window of three one-second segments that gains one and loses one every second, as a live edge does.
            AtomicInteger listed = new AtomicInteger(3);
            Runnable publish = () -> {
                int to = Math.min(listed.get(), segments.size());
                StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:")
                        .append(to - 3).append('\n');
                segments.subList(to - 3, to).forEach(name -> playlist.append("#EXTINF:1.0,\n").append(name)
                        .append('\n'));
                server.serve("/live/live.m3u8", playlist.append(to == segments.size() ? "#EXT-X-ENDLIST\n" : "")
                        .toString().getBytes(StandardCharsets.UTF_8));
            };
            publish.run();
            clock.scheduleAtFixedRate(() -> {
                listed.incrementAndGet();
                publish.run();
            }, 1, 1, TimeUnit.SECONDS);
            HlsSource live = HlsSource.create(server.uri("/live/live.m3u8"), HttpSettings.create());

            List<String> streamed = Frames.each(VideoDecoder.create().decode(live), HlsDecodeTest::stamp);

            assertThat(streamed).hasSize(150).isEqualTo(wholeClip(spec));
            assertThat(live.skippedSegments()).isZero();
            assertThat(server.stats("/live/live.m3u8").requests()).as("reloads").hasSizeGreaterThan(2);
        } finally {
            clock.shutdownNow();
        }
    }

    @ParameterizedTest
    @CsvSource({"HLS_TS, false, 320", "HLS_FMP4, false, 320", "HLS_FMP4, true, 320", "HLS_FMP4, false, 480"})
    void acrossADiscontinuityFramesAndTheirIndicesGoOnAsOneClip(Container container, boolean oneInitSection,
                                                                int secondWidth) throws IOException {
        TestVideo first = TestVideo.create().optSize(320, 240).optFrames(50).optGop(25);
        TestVideo second = first.optScene(TestVideo.Scene.BALL).optStamp(false).optSize(secondWidth, 240);
        first.optContainer(container).writeTo(Files.createDirectories(dir.resolve("a")).resolve("index.m3u8"));
        second.optContainer(container).writeTo(Files.createDirectories(dir.resolve("b")).resolve("index.m3u8"));
        // Two encodings one after the other (the second of another size, as an ad may be); fragmented MP4 with an
        // init section each, or (an encoder started again with the same settings) one for both, which the second's
        // fragments then restart the times of.
        StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-PLAYLIST-TYPE:VOD\n");
        for (String part : List.of("a", "b")) {
            if (part.equals("b")) {
                playlist.append("#EXT-X-DISCONTINUITY\n");
            }
            Files.readAllLines(dir.resolve(part).resolve("index.m3u8")).stream()
                    .filter(line -> line.startsWith("#EXTINF") || line.startsWith("#EXT-X-MAP")
                            && !(oneInitSection && part.equals("b")) || !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.startsWith("#EXT-X-MAP") ? line.replace("URI=\"", "URI=\"" + part + "/")
                            : line.startsWith("#") ? line : part + "/" + line)
                    .forEach(line -> playlist.append(line).append('\n'));
        }
        if (oneInitSection) {
            assertThat(dir.resolve("b/init.mp4")).as("the encodings' init sections").hasSameBinaryContentAs(
                    dir.resolve("a/init.mp4"));
        }
        List<String> expected = new ArrayList<>(wholeClip(first));
        wholeClip(second).forEach(stamp -> {
            String[] parts = stamp.split(" ", 2);
            expected.add((Long.parseLong(parts[0]) + 50) + " " + parts[1]);
        });

        try (TestHttpServer server = TestHttpServer.start()) {
            server.serveAll("/hls/a/", dir.resolve("a"));
            server.serveAll("/hls/b/", dir.resolve("b"));
            URI uri = server.serve("/hls/joined.m3u8", playlist.append("#EXT-X-ENDLIST\n").toString()
                    .getBytes(StandardCharsets.UTF_8));

            assertThat(Frames.each(VideoDecoder.create().decode(uri), HlsDecodeTest::stamp)).isEqualTo(expected);
            List<Double> times = Frames.each(VideoDecoder.create().decode(uri), VideoFrame::time);
            assertThat(times).as("times keep rising across the seam").isSorted().doesNotHaveDuplicates();
            assertThat(times.get(99) - times.get(0)).isCloseTo(99 / 25.0, within(1e-6));
            assertThat(Frames.each(VideoDecoder.create().optKeyframesOnly(true).decode(uri), VideoFrame::index))
                    .as("key frames only, numbered as in the full decode").containsExactly(0L, 25L, 50L, 75L);
        }
    }

    @Test
    void segmentsEncryptedWithSampleAesAreMediaTheDecoderDoesNotSupport() {
        try (TestHttpServer server = TestHttpServer.start()) {
            server.serve("/drm/seg.ts", TestVideo.create().optContainer(Container.MPEGTS).toBytes());
            URI uri = server.serve("/drm/index.m3u8", ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n"
                    + "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://key\",KEYFORMAT=\"com.apple.streamingkeydelivery\"\n"
                    + "#EXTINF:2,\nseg.ts\n#EXT-X-ENDLIST\n").getBytes(StandardCharsets.UTF_8));

            StepVerifier.create(VideoDecoder.create().decode(uri))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(UnsupportedMediaException.class)
                            .hasMessageContaining("SAMPLE-AES"))
                    .verify(Duration.ofSeconds(30));
        }
    }

    @Test
    void aPlaylistBehindAUrlThatDoesNotSaySoIsFoundByItsContentTypeOrItsFirstLine() throws IOException {
        TestVideo spec = TestVideo.create().optSize(320, 240).optFrames(FRAMES).optGop(25);
        List<String> whole = wholeClip(spec);
        Path hls = Files.createDirectories(dir.resolve("sniffed"));
        spec.optContainer(Container.HLS_TS).writeTo(hls.resolve("index.m3u8"));
        byte[] playlist = Files.readAllBytes(hls.resolve("index.m3u8"));
        byte[] marked = ("\uFEFF\n" + new String(playlist, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);

        try (TestHttpServer server = TestHttpServer.start()) {
            server.serveAll("/hls/", hls);
            List<URI> playlists = List.of(
                    server.serve("/hls/live", Content.of(playlist), "application/vnd.apple.mpegURL; charset=UTF-8"),
                    server.serve("/hls/watch", Content.of(playlist), "text/plain"),
                    server.serve("/hls/marked", Content.of(marked), "application/octet-stream"));
            for (URI uri : playlists) {
                for (int connections : new int[] {1, 3}) {
                    HttpSettings settings = HttpSettings.create().optConnections(connections);
                    List<String> streamed = Frames.each(VideoDecoder.create()
                            .optSources(any -> ByteSource.open(any, settings)).decode(uri), HlsDecodeTest::stamp);
                    assertThat(streamed).as("%s over %d connections", uri, connections).isEqualTo(whole);
                }
            }

            // A file behind such a URL costs no request more over one connection: its first response decided.
            URI file = server.serve("/hls/clip", spec.optContainer(Container.MP4_FASTSTART).toBytes());
            assertThat(Frames.each(VideoDecoder.create().decode(file), HlsDecodeTest::stamp)).isEqualTo(whole);
            assertThat(server.stats("/hls/clip").requests()).hasSize(1);
        }
    }

    private static List<String> wholeClip(TestVideo spec) {
        return Frames.each(VideoDecoder.create().decode(MemorySource.of(spec.toBytes())), HlsDecodeTest::stamp);
    }

    /** The frame's number and pixels: what must not change with the container (timestamps may). */
    private static String stamp(VideoFrame frame) {
        return frame.index() + " " + Frames.sha256(frame);
    }
}
