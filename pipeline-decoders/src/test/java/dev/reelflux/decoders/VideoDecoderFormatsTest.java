package dev.reelflux.decoders;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.core.FileSource;
import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.decoders.testing.TestVideo.Codec;
import dev.reelflux.decoders.testing.TestVideo.Container;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The decoder over every codec and container the test clips come in. */
@ExtendWith(NativeLeakGate.class)
class VideoDecoderFormatsTest {

    private static final int FRAMES = 50;

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of(Codec.H264, Container.MP4_FASTSTART),
                Arguments.of(Codec.H264, Container.MP4_MOOV_AT_END),
                Arguments.of(Codec.H264, Container.MP4_FRAGMENTED),
                Arguments.of(Codec.H264, Container.MKV),
                Arguments.of(Codec.H264, Container.MPEGTS),
                Arguments.of(Codec.MPEG4, Container.MP4_FASTSTART),
                Arguments.of(Codec.MPEG4, Container.MKV),
                Arguments.of(Codec.VP9, Container.WEBM),
                Arguments.of(Codec.AV1, Container.MKV));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("variants")
    void emitsEveryFrameOnceInDisplayOrder(Codec codec, Container container) {
        Path clip = Clips.clip(codec, container, FRAMES, 25);

        List<long[]> frames = Frames.each(VideoDecoder.create().optThreads(2).decode(FileSource.of(clip)),
                frame -> new long[] {frame.index(), Stamps.read(frame)});

        List<Long> expected = LongStream.range(0, FRAMES).boxed().toList();
        assertThat(frames).extracting(f -> f[0]).as("indices").isEqualTo(expected);
        assertThat(frames).extracting(f -> f[1]).as("stamps").isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("variants")
    void emitsTheSamePixelsWhateverTheChunkSizes(Codec codec, Container container) {
        Path clip = Clips.clip(codec, container, FRAMES, 25);
        VideoDecoder decoder = VideoDecoder.create().optThreads(1);
        List<String> reference = Frames.each(decoder.decode(FileSource.of(clip)), Frames::sha256);

        for (long seed = 1; seed <= 3; seed++) {
            MemorySource source = MemorySource.of(Clips.bytes(clip)).withRandomChunks(1, 1 << 20, seed);
            assertThat(Frames.each(decoder.decode(source), Frames::sha256)).as("seed " + seed)
                    .isEqualTo(reference);
            assertThat(source.outstandingChunks()).as("chunks not closed").isZero();
        }
    }
}
