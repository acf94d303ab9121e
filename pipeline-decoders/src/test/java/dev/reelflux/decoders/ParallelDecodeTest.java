package dev.reelflux.decoders;

import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.ParallelSource;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.testing.TestVideo.Codec;
import dev.reelflux.decoders.testing.TestVideo.Container;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Frames decoded from parallel segments are the frames of a plain read, whatever the layout. */
@ExtendWith(NativeLeakGate.class)
class ParallelDecodeTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Container.class, names = {"MP4_FASTSTART", "MP4_MOOV_AT_END", "MKV"})
    void parallelSegmentsDecodeToTheSameFramesAsOneConnection(Container container) {
        byte[] clip = Clips.bytes(Clips.clip(Codec.H264, container, 640, 360, 100, 25, 4_000_000));
        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip", clip);
            server.shape(8_000_000, Duration.ZERO);
            HttpSettings http = HttpSettings.create();
            VideoDecoder decoder = VideoDecoder.create().optThreads(2);

            List<String> sequential = Frames.each(decoder.decode(dev.reelflux.core.HttpSource.create(uri, http)),
                    Frames::sha256);
            int sequentialRequests = server.stats("/clip").requests().size();
            List<String> parallel = Frames.each(decoder.decode(ParallelSource.of(
                    dev.reelflux.core.HttpSource.create(uri, http)).optSegmentSize(128 << 10)
                    .optFirstSegmentSize(32 << 10)), Frames::sha256);

            assertThat(parallel).hasSize(100).isEqualTo(sequential);
            assertThat(server.stats("/clip").requests().size() - sequentialRequests)
                    .as("segments").isGreaterThan(clip.length / (128 << 10));
        }
    }
}
