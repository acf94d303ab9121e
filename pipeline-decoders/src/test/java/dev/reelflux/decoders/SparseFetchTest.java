package dev.reelflux.decoders;

import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.HttpSource;
import dev.reelflux.core.TransferStats;
import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.testing.KeySamples;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.decoders.testing.TestVideo.Codec;
import dev.reelflux.decoders.testing.TestVideo.Container;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frame selections from an MP4 over HTTP: the decoder reads only the samples the selection needs, as the index
 * places them (the key samples for key frames only; each GOP up to its last wanted frame for a thinned selection),
 * and the frames are those of decoding the whole file.
 */
@ExtendWith(NativeLeakGate.class)
class SparseFetchTest {

    private static final int FRAMES = 200;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({"H264, MP4_FASTSTART", "H264, MP4_MOOV_AT_END", "VP9, MP4_FASTSTART"})
    void fetchesAboutTheKeySamplesOnlyAndDecodesTheSameFrames(Codec codec, Container container) {
        Path clip = TestVideo.create().optCodec(codec).optContainer(container).optSize(640, 360).optFrames(FRAMES)
                .optGop(50).optBitrate(4_000_000).writeTo(dir.resolve("sparse.mp4"));
        byte[] bytes = Clips.bytes(clip);
        long keyBytes = KeySamples.bytes(clip);
        VideoDecoder keyframes = VideoDecoder.create().optKeyframesOnly(true);
        // The reference: the key frames of decoding every frame of the whole file.
        List<String> reference = decodedWhole(bytes, VideoFrame::keyframe);

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

    static Stream<Arguments> thinnedSelections() {
        return Stream.of(
                Arguments.of("the first 10 of each GOP", Container.MP4_FASTSTART,
                        (UnaryOperator<VideoDecoder>) d -> d.optFrameFilter(i -> i % 50 < 10),
                        (LongPredicate) i -> i % 50 < 10, 0.45),
                Arguments.of("the first 10 of each GOP, moov at the end", Container.MP4_MOOV_AT_END,
                        (UnaryOperator<VideoDecoder>) d -> d.optFrameFilter(i -> i % 50 < 10),
                        (LongPredicate) i -> i % 50 < 10, 0.45),
                // A fragmented MP4 indexes each fragment as the demuxer reaches it: no plan, and the right frames.
                Arguments.of("1 fps of 25, fragments shorter than a GOP", Container.MP4_SHORT_FRAGMENTS,
                        (UnaryOperator<VideoDecoder>) d -> d.optTargetFps(1), (LongPredicate) i -> i % 25 == 0, 1.05),
                Arguments.of("1 fps of 25", Container.MP4_FASTSTART,
                        (UnaryOperator<VideoDecoder>) d -> d.optTargetFps(1), (LongPredicate) i -> i % 25 == 0, 0.75),
                Arguments.of("every 40th", Container.MP4_FASTSTART, (UnaryOperator<VideoDecoder>) d -> d.optStride(40),
                        (LongPredicate) i -> i % 40 == 0, 0.8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("thinnedSelections")
    void fetchesEachGopUpToItsLastWantedFrameAndDecodesTheSameFrames(
            String name, Container container, UnaryOperator<VideoDecoder> select, LongPredicate wanted,
            double maxShare) {
        Path clip = TestVideo.create().optContainer(container).optSize(640, 360).optFrames(FRAMES).optGop(50)
                .optBitrate(4_000_000).optGrain(4).writeTo(dir.resolve("thinned.mp4"));
        byte[] bytes = Clips.bytes(clip);
        List<String> reference = decodedWhole(bytes, frame -> wanted.test(frame.index()));

        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip.mp4", bytes);
            TransferStats stats = new TransferStats();
            List<String> sparse = Frames.each(select.apply(VideoDecoder.create()).decode(HttpSource.create(uri,
                    HttpSettings.create().optListener(stats))), Frames::sha256);

            assertThat(sparse).isNotEmpty().isEqualTo(reference);
            assertThat(stats.bytes()).as("bytes fetched of %d", bytes.length)
                    .isLessThan((long) (bytes.length * maxShare));
        }
    }

    @Test
    void aThinnedSelectionOfAClipWithBFramesReadsEverythingAndDecodesTheSameFrames() {
        Path clip = TestVideo.create().optCodec(TestVideo.Codec.MPEG4).optSize(320, 240).optFrames(FRAMES)
                .optGop(50).optBFrames(2).writeTo(dir.resolve("reordered.mp4"));
        byte[] bytes = Clips.bytes(clip);
        LongPredicate wanted = i -> i % 50 < 10;
        List<String> reference = decodedWhole(bytes, frame -> wanted.test(frame.index()));

        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip.mp4", bytes);
            TransferStats stats = new TransferStats();
            List<String> thinned = Frames.each(VideoDecoder.create().optFrameFilter(wanted)
                    .decode(HttpSource.create(uri, HttpSettings.create().optListener(stats))), Frames::sha256);

            assertThat(thinned).hasSize(FRAMES / 5).isEqualTo(reference);
            assertThat(stats.bytes()).isEqualTo(bytes.length);
        }
    }

    /** The sha256 of the frames {@code keep} accepts among every frame of a decode of the whole file. */
    private static List<String> decodedWhole(byte[] bytes, Predicate<VideoFrame> keep) {
        return Frames.each(VideoDecoder.create().decode(MemorySource.of(bytes)),
                frame -> keep.test(frame) ? Frames.sha256(frame) : "").stream().filter(sha -> !sha.isEmpty()).toList();
    }
}
