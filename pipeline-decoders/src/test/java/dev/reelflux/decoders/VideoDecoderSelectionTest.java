package dev.reelflux.decoders;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.core.ByteSource;
import dev.reelflux.core.FileSource;
import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.decoders.testing.TestVideo.Codec;
import dev.reelflux.decoders.testing.TestVideo.Container;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Which frames the decoder emits, and what it skips to get there. */
@ExtendWith(NativeLeakGate.class)
class VideoDecoderSelectionTest {

    private static final int FRAMES = 50;

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of(Codec.H264, Container.MP4_FASTSTART),
                Arguments.of(Codec.MPEG4, Container.MP4_FASTSTART),
                Arguments.of(Codec.MPEG4, Container.MKV),
                Arguments.of(Codec.H264, Container.MPEGTS),
                Arguments.of(Codec.VP9, Container.WEBM));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("variants")
    void strideEmitsEveryNthFrame(Codec codec, Container container) {
        assertSelects(codec, container, VideoDecoder.create().optStride(5), i -> i % 5 == 0);
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("variants")
    void targetFpsEmitsTheFirstFrameOfEachTick(Codec codec, Container container) {
        // 25 fps to 10 fps: ticks at 0, 0.1, 0.2 s ... fall on frames 0, 2.5, 5 ... -> 0, 3, 5, 8, 10, ...
        assertSelects(codec, container, VideoDecoder.create().optTargetFps(10), i -> i == Math.ceil(Math.floor(
                i / 2.5) * 2.5));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("variants")
    void frameFilterEmitsTheIndicesItAccepts(Codec codec, Container container) {
        LongPredicate filter = i -> i % 7 == 3 || i == 11 || i == 49;
        assertSelects(codec, container, VideoDecoder.create().optFrameFilter(filter), filter);
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("variants")
    void keyframesOnlyEmitsTheKeyframesAFullDecodeFinds(Codec codec, Container container) {
        Path clip = Clips.clip(codec, container, FRAMES, 25);
        List<Long> keyframes = Frames.each(VideoDecoder.create().decode(FileSource.of(clip)),
                frame -> frame.keyframe() ? frame.index() : -1L).stream().filter(i -> i >= 0).toList();

        List<long[]> frames = Frames.each(VideoDecoder.create().optKeyframesOnly(true).decode(FileSource.of(clip)),
                frame -> new long[] {frame.index(), Stamps.read(frame)});

        assertThat(keyframes).hasSizeGreaterThan(1).startsWith(0L);
        assertThat(frames).extracting(f -> f[0]).containsExactlyElementsOf(keyframes);
        assertThat(frames).extracting(f -> f[1]).containsExactlyElementsOf(keyframes);
    }

    @Test
    void combinedRulesMustAllPass() {
        assertSelects(Codec.MPEG4, Container.MP4_FASTSTART,
                VideoDecoder.create().optStride(2).optFrameFilter(i -> i > 20).optMaxFrames(5),
                i -> i % 2 == 0 && i > 20 && i <= 30);
    }

    @Test
    void maxFramesCompletesAndStopsTheDownload() {
        byte[] clip = Clips.bytes(Clips.clip(Codec.H264, Container.MP4_FASTSTART, 320, 240, 250, 25));
        MemorySource source = MemorySource.of(clip).withChunkSize(8 << 10);

        List<Long> indices = Frames.indices(VideoDecoder.create().optMaxFrames(7).decode(source));

        assertThat(indices).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(source.bytesDelivered()).isLessThan(clip.length / 4);
        assertThat(source.outstandingChunks()).isZero();
    }

    @Test
    void keyframesOnlyReadsAndFetchesFewerBytes() {
        byte[] clip = Clips.bytes(Clips.clip(Codec.H264, Container.MP4_FASTSTART, 640, 480, 150, 50, 4_000_000));
        DecodeStats all = stats(VideoDecoder.create(), MemorySource.of(clip).withChunkSize(16 << 10));

        DecodeStats keyframes = stats(VideoDecoder.create().optKeyframesOnly(true),
                MemorySource.of(clip).withChunkSize(16 << 10));

        assertThat(keyframes.framesDecoded()).isEqualTo(keyframes.framesEmitted()).isEqualTo(3);
        assertThat(keyframes.bytesRead()).as("bytes FFmpeg read").isLessThan(all.bytesRead() / 3);
        // One jump into the plan of key samples from the index; along it the samples between are never fetched.
        assertThat(keyframes.bytesFetched()).as("bytes fetched").isLessThan(all.bytesFetched() / 2);
        assertThat(keyframes.rangeReads()).isEqualTo(1);
    }

    @Test
    void strideSkipsUnreferencedFramesBeforeDecoding() {
        Path clip = Clips.clip(Codec.MPEG4, Container.MP4_FASTSTART, FRAMES, 25);

        DecodeStats skipping = stats(VideoDecoder.create().optStride(3), clip);
        DecodeStats decodingAll = stats(VideoDecoder.create().optStride(3).optSkipUnselected(false), clip);

        assertThat(skipping.framesEmitted()).isEqualTo(decodingAll.framesEmitted()).isEqualTo(17);
        assertThat(decodingAll.framesDecoded()).isEqualTo(FRAMES);
        assertThat(skipping.framesDecoded()).isLessThan(FRAMES * 3 / 4);
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("variants")
    void indicesFromTimestampsMatchCountedIndices(Codec codec, Container container) {
        Path clip = Clips.clip(codec, container, FRAMES, 25);
        List<Long> counted = Frames.each(VideoDecoder.create().decode(FileSource.of(clip)), VideoFrame::pts);

        // Stride makes the decoder number frames from their timestamps: frame i must carry the i-th pts.
        List<long[]> byTime = Frames.each(VideoDecoder.create().optStride(2).decode(FileSource.of(clip)),
                frame -> new long[] {frame.index(), frame.pts()});

        assertThat(byTime).isNotEmpty().allSatisfy(f -> assertThat(f[1]).isEqualTo(counted.get((int) f[0])));
    }

    private static void assertSelects(Codec codec, Container container, VideoDecoder decoder, LongPredicate expected) {
        Path clip = Clips.clip(codec, container, FRAMES, 25);

        List<long[]> frames = Frames.each(decoder.decode(FileSource.of(clip)),
                frame -> new long[] {frame.index(), Stamps.read(frame)});

        List<Long> indices = LongStream.range(0, FRAMES).filter(expected).boxed().toList();
        assertThat(frames).extracting(f -> f[0]).as("indices").containsExactlyElementsOf(indices);
        assertThat(frames).extracting(f -> f[1]).as("stamps").containsExactlyElementsOf(indices);
    }

    private static DecodeStats stats(VideoDecoder decoder, Path clip) {
        return stats(decoder, FileSource.of(clip));
    }

    private static DecodeStats stats(VideoDecoder decoder, ByteSource source) {
        AtomicReference<DecodeStats> stats = new AtomicReference<>();
        Frames.each(decoder.optListener(new DecodeListener() {
            @Override
            public void closed(DecodeStats s) {
                stats.set(s);
            }
        }).decode(source), VideoFrame::index);
        return stats.get();
    }
}
