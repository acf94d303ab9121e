package dev.reelflux.decoders;

import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.HttpSource;
import dev.reelflux.core.TransferStats;
import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.testing.KeySamples;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.decoders.testing.TestVideo.Container;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key frames only from an MP4 over HTTP: the decoder reads the key-frame samples the index points at, not the file,
 * and the frames are those of reading the whole file.
 */
@ExtendWith(NativeLeakGate.class)
class KeyframeSparseFetchTest {

    private static final int FRAMES = 200;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Container.class, names = {"MP4_FASTSTART", "MP4_MOOV_AT_END"})
    void fetchesAboutTheKeySamplesOnlyAndDecodesTheSameFrames(Container container) {
        Path clip = TestVideo.create().optContainer(container).optSize(640, 360).optFrames(FRAMES).optGop(50)
                .optBitrate(4_000_000).writeTo(dir.resolve("sparse.mp4"));
        byte[] bytes = Clips.bytes(clip);
        long keyBytes = KeySamples.bytes(clip);
        VideoDecoder keyframes = VideoDecoder.create().optKeyframesOnly(true);
        // The reference: the key frames of decoding every frame of the whole file.
        List<String> reference = Frames.each(VideoDecoder.create().decode(MemorySource.of(bytes)),
                frame -> frame.keyframe() ? Frames.sha256(frame) : "").stream().filter(sha -> !sha.isEmpty()).toList();

        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip.mp4", bytes);
            TransferStats stats = new TransferStats();
            List<String> sparse = Frames.each(keyframes.decode(HttpSource.create(uri,
                    HttpSettings.create().optListener(stats))), Frames::sha256);

            assertThat(sparse).hasSize(FRAMES / 50).isEqualTo(reference);
            // The key samples, plus the index and what the first read brought before the first jump.
            assertThat(stats.bytes()).as("bytes fetched of %d, key samples %d", bytes.length, keyBytes)
                    .isLessThan((long) (keyBytes * 1.2) + (320 << 10))
                    .isLessThan(bytes.length / 2);
        }
    }
}
