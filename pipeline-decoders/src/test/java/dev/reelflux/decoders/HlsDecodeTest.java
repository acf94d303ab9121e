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
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
    @EnumSource(value = Container.class, names = {"HLS_TS", "HLS_FMP4", "HLS_BYTE_RANGES"})
    void ffmpegsHlsMuxerOutputDecodesToTheFramesOfTheClip(Container container) throws IOException {
        TestVideo spec = TestVideo.create().optSize(320, 240).optFrames(FRAMES).optGop(25);
        List<String> whole = Frames.each(VideoDecoder.create().decode(MemorySource.of(spec.toBytes())),
                HlsDecodeTest::stamp);
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
    void aPlaylistBehindAUrlThatDoesNotSaySoIsFoundByItsContentTypeOrItsFirstLine() throws IOException {
        TestVideo spec = TestVideo.create().optSize(320, 240).optFrames(FRAMES).optGop(25);
        List<String> whole = Frames.each(VideoDecoder.create().decode(MemorySource.of(spec.toBytes())),
                HlsDecodeTest::stamp);
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

    /** The frame's number and pixels: what must not change with the container (timestamps may). */
    private static String stamp(VideoFrame frame) {
        return frame.index() + " " + Frames.sha256(frame);
    }
}
