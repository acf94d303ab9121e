package dev.reelflux.decoders;

import dev.reelflux.core.HlsSource;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.decoders.testing.TestVideo.Container;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An MPEG-TS clip cut into HLS segments at packet boundaries, served with its playlist: decoding the playlist gives
 * the frames of decoding the clip whole.
 */
@ExtendWith(NativeLeakGate.class)
class HlsDecodeTest {

    private static final int PACKET = 188;

    @Test
    void aPlaylistOfTsSegmentsDecodesToTheFramesOfTheWholeClip() {
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

    private static String stamp(VideoFrame frame) {
        return frame.index() + " " + Frames.sha256(frame);
    }
}
