package dev.reelflux.decoders;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.reelflux.decoders.testing.Corruptions;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.core.InvalidSourceException;
import dev.reelflux.core.SourceException;
import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.decoders.testing.TestVideo.Codec;
import dev.reelflux.decoders.testing.TestVideo.Container;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_INVALIDDATA;

/** How the decoder reads its source (ranges, no ranges, jumps) and what it does when the bytes are wrong. */
@ExtendWith(NativeLeakGate.class)
class VideoDecoderSourceTest {

    private static final int FRAMES = 50;
    private static final int MOOV_CLIP_FRAMES = 150;

    /** Big enough (about 4.5 MB) that the read-ahead thrown away at the jump to the moov is a small share. */
    private static byte[] moovAtEndClip() {
        return Clips.bytes(Clips.clip(Codec.H264, Container.MP4_MOOV_AT_END, 1280, 720, MOOV_CLIP_FRAMES, 25,
                8_000_000));
    }

    @ParameterizedTest(name = "{0}-byte chunks")
    @ValueSource(ints = {16 << 10, 64 << 10})
    void playsMoovAtEndThroughRangedReadsWithoutASecondDownload(int chunkSize) {
        byte[] clip = moovAtEndClip();
        MemorySource source = MemorySource.of(clip).withChunkSize(chunkSize);
        AtomicReference<DecodeStats> stats = new AtomicReference<>();

        List<Integer> stamps = Frames.each(VideoDecoder.create().optListener(closed(stats)).decode(source),
                Stamps::read);

        assertThat(stamps).containsExactlyElementsOf(LongStream.range(0, MOOV_CLIP_FRAMES).mapToObj(i -> (int) i).toList());
        assertThat(source.bytesDelivered()).as("bytes fetched").isLessThanOrEqualTo((long) (clip.length * 1.1));
        // To the moov at the end, then back to the first sample: one jump each way.
        assertThat(source.readOffsets()).hasSize(3);
        assertThat(stats.get().rangeReads()).isEqualTo(2);
        assertThat(source.outstandingChunks()).isZero();
    }

    static Stream<Arguments> streamableLayouts() {
        return Stream.of(
                Arguments.of(Codec.H264, Container.MP4_FASTSTART),
                Arguments.of(Codec.H264, Container.MP4_FRAGMENTED),
                Arguments.of(Codec.MPEG4, Container.MKV),
                Arguments.of(Codec.VP9, Container.WEBM),
                Arguments.of(Codec.H264, Container.MPEGTS));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("streamableLayouts")
    void playsStreamableLayoutsFromASourceWithoutRangesOrSize(Codec codec, Container container) {
        MemorySource source = MemorySource.of(Clips.bytes(Clips.clip(codec, container, FRAMES, 25)))
                .withRanges(false).withSizeKnown(false).withRandomChunks(1, 64 << 10, 7);

        List<Integer> stamps = Frames.each(VideoDecoder.create().decode(source), Stamps::read);

        assertThat(stamps).containsExactlyElementsOf(LongStream.range(0, FRAMES).mapToObj(i -> (int) i).toList());
        assertThat(source.readOffsets()).containsExactly(0L);
    }

    @Test
    void rejectsMoovAtEndWithoutRangesFromItsFirstBytes() {
        byte[] clip = moovAtEndClip();
        MemorySource source = MemorySource.of(clip).withRanges(false);

        StepVerifier.create(VideoDecoder.create().decode(source))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SeekNotSupportedException.class)
                        .hasMessageContaining("moov").hasMessageContaining("faststart"))
                .verify(Frames.TIMEOUT);
        assertThat(source.bytesDelivered()).as("bytes fetched").isLessThan(clip.length / 4);
        assertThat(source.outstandingChunks()).isZero();
    }

    static Stream<Arguments> truncatable() {
        return Stream.of(
                Arguments.of(Container.MP4_FASTSTART, true),
                Arguments.of(Container.MP4_FASTSTART, false),
                Arguments.of(Container.MP4_FRAGMENTED, false),
                Arguments.of(Container.MKV, true),
                Arguments.of(Container.MKV, false));
    }

    @ParameterizedTest(name = "{0}, ranges {1}")
    @MethodSource("truncatable")
    void truncatedStreamEmitsEveryDecodableFrameThenTruncationError(Container container, boolean ranges) {
        byte[] clip = Clips.bytes(Clips.clip(Codec.MPEG4, container, FRAMES, 25));
        MemorySource source = MemorySource.of(Arrays.copyOf(clip, clip.length * 6 / 10)).withRanges(ranges);
        List<Integer> stamps = new ArrayList<>();

        StepVerifier.create(VideoDecoder.create().decode(source).map(frame -> {
                    try (frame) {
                        return Stamps.read(frame);
                    }
                }))
                .recordWith(() -> stamps)
                .thenConsumeWhile(stamp -> true)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TruncatedMediaException.class)
                        .hasMessageContaining("ends early"))
                .verify(Frames.TIMEOUT);

        // Every frame before the cut, in order; only the B-frames whose packets the cut removed (at most the two
        // between the last references) may be missing, just before the last frame.
        assertThat(stamps).hasSizeGreaterThan(FRAMES / 3).isSorted().doesNotHaveDuplicates();
        int last = stamps.get(stamps.size() - 1);
        assertThat(stamps.subList(0, stamps.size() - 1))
                .containsExactlyElementsOf(IntStream.range(0, stamps.size() - 1).boxed().toList());
        assertThat(last - (stamps.size() - 1)).as("B-frames lost with the cut").isBetween(0, 2);
    }

    @Test
    void truncatedStreamCompletesWhenToldTo() {
        byte[] clip = Clips.bytes(Clips.clip(Codec.H264, Container.MP4_FASTSTART, FRAMES, 25));
        MemorySource source = MemorySource.of(Arrays.copyOf(clip, clip.length / 2));

        List<Long> indices = Frames.indices(VideoDecoder.create().optFailOnTruncation(false).decode(source));

        assertThat(indices).isNotEmpty().hasSizeLessThan(FRAMES);
    }

    @Test
    void garbageIsInvalidMediaWithFFmpegsReason() {
        byte[] garbage = new byte[200_000];
        new Random(1).nextBytes(garbage);

        StepVerifier.create(VideoDecoder.create().decode(MemorySource.of(garbage)))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(InvalidMediaException.class);
                    DecodeException error = (DecodeException) e;
                    assertThat(error.errorCode()).isEqualTo(AVERROR_INVALIDDATA);
                    assertThat(error.ffmpegMessage()).isEqualTo("Invalid data found when processing input");
                    assertThat(error.stage()).isEqualTo("open");
                })
                .verify(Frames.TIMEOUT);
    }

    @Test
    void emptySourceIsInvalidMedia() {
        StepVerifier.create(VideoDecoder.create().decode(MemorySource.of(new byte[0])))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(InvalidMediaException.class)
                        .hasMessageContaining("empty"))
                .verify(Frames.TIMEOUT);
    }

    @Test
    void sourceErrorArrivesUnwrappedAfterTheFramesDecodedBeforeIt() {
        // Long enough that the reset comes after the demuxer's probing, which reads the first two seconds or so.
        int frames = 250;
        byte[] clip = Clips.bytes(Clips.clip(Codec.H264, Container.MKV, frames, 25));
        MemorySource source = MemorySource.of(clip).withChunkSize(8 << 10).withFailureAt(clip.length / 2);
        List<Long> indices = new ArrayList<>();

        StepVerifier.create(VideoDecoder.create().decode(source).map(frame -> {
                    try (frame) {
                        return frame.index();
                    }
                }))
                .recordWith(() -> indices)
                .thenConsumeWhile(index -> true)
                .expectErrorSatisfies(e -> assertThat(e).isExactlyInstanceOf(SourceException.class)
                        .hasMessageContaining("connection reset"))
                .verify(Frames.TIMEOUT);
        assertThat(indices).hasSizeGreaterThan(frames / 4).hasSizeLessThan(frames);
        assertThat(source.outstandingChunks()).isZero();
    }

    @Test
    void sourceErrorBeforeTheFirstByteArrivesUnwrapped() {
        MemorySource source = MemorySource.of(new byte[1000]).withFailureAt(0);

        StepVerifier.create(VideoDecoder.create().decode(source))
                .expectError(SourceException.class)
                .verify(Frames.TIMEOUT);
    }

    @Test
    void containerWithoutVideoHasNoVideoStream() {
        StepVerifier.create(VideoDecoder.create().decode(MemorySource.of(Clips.audioOnly())))
                .expectError(NoVideoStreamException.class)
                .verify(Frames.TIMEOUT);
    }

    @Test
    void codecWithoutDecoderIsUnsupported() {
        byte[] clip = Clips.bytes(Clips.clip(Codec.H264, Container.MKV, 10, 25));
        Corruptions.replaceAscii(clip, "V_MPEG4/ISO/AVC", "V_REELFLUX/NONE");

        StepVerifier.create(VideoDecoder.create().decode(MemorySource.of(clip)))
                .expectError(UnsupportedMediaException.class)
                .verify(Frames.TIMEOUT);
    }

    @Test
    void uriOfAnUnsupportedSchemeFailsWithTheResolversError() {
        StepVerifier.create(VideoDecoder.create().decode(java.net.URI.create("ftp://example.com/clip.mp4")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(InvalidSourceException.class)
                        .hasMessageContaining("ftp://example.com/clip.mp4").hasMessageContaining("scheme"))
                .verify(Duration.ofSeconds(5));
    }

    private static DecodeListener closed(AtomicReference<DecodeStats> stats) {
        return new DecodeListener() {
            @Override
            public void closed(DecodeStats s) {
                stats.set(s);
            }
        };
    }
}
