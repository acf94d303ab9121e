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
import reactor.core.publisher.Flux;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
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
                    HttpSettings.create().optListener(stats))), SparseFetchTest::stamp);

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
                    HttpSettings.create().optListener(stats))), SparseFetchTest::stamp);

            assertThat(sparse).isNotEmpty().isEqualTo(reference);
            assertThat(stats.bytes()).as("bytes fetched of %d", bytes.length)
                    .isLessThan((long) (bytes.length * maxShare));
        }
    }

    static Stream<Arguments> selectionsWithBFrames() {
        // Large enough that what the first read has in flight when the plan takes over is a small share.
        TestVideo open = TestVideo.create().optCodec(Codec.MPEG4).optSize(640, 360).optFrames(FRAMES).optGop(50)
                .optBFrames(2).optBitrate(4_000_000).optGrain(4);
        TestVideo closed = open.optClosedGops(true);
        return Stream.of(
                Arguments.of("open GOPs, the first 10 of each", open, (LongPredicate) i -> i % 50 < 10, 0.75),
                // Frame 49 is decoded after key frame 50 and refers back to frame 48: every GOP is read, bar the
                // B-frames no one wants, as is what the first read had in flight when the plan took over.
                Arguments.of("open GOPs, the last of each, shown before the next key frame", open,
                        (LongPredicate) i -> i % 50 == 49, 1.1),
                Arguments.of("closed GOPs, every 40th", closed, (LongPredicate) i -> i % 40 == 0, 0.85),
                Arguments.of("closed GOPs marked in sdtp, the first 10 of each", closed.optDependencyMarks(true),
                        (LongPredicate) i -> i % 50 < 10, 0.75));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selectionsWithBFrames")
    void aClipWithBFramesFetchesWhatTheWantedFramesReferToAndDecodesTheSameFrames(
            String name, TestVideo spec, LongPredicate wanted, double maxShare) {
        byte[] bytes = Clips.bytes(spec.writeTo(dir.resolve("reordered.mp4")));
        List<String> reference = decodedWhole(bytes, frame -> wanted.test(frame.index()));

        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip.mp4", bytes);
            TransferStats stats = new TransferStats();
            List<String> thinned = Frames.each(VideoDecoder.create().optFrameFilter(wanted)
                    .decode(HttpSource.create(uri, HttpSettings.create().optListener(stats))), SparseFetchTest::stamp);

            assertThat(thinned).isNotEmpty().isEqualTo(reference);
            assertThat(stats.bytes()).as("bytes fetched of %d", bytes.length)
                    .isLessThanOrEqualTo((long) (bytes.length * maxShare));
        }
    }

    @Test
    void aSelectionThatChangesMidClipIsFetchedAsItIsAtEachKeySample() {
        Path clip = TestVideo.create().optSize(640, 360).optFrames(FRAMES).optGop(50).optBitrate(4_000_000)
                .optGrain(4).writeTo(dir.resolve("changing.mp4"));
        byte[] bytes = Clips.bytes(clip);
        Map<Long, String> whole = stamps(VideoDecoder.create().decode(MemorySource.of(bytes)));
        // Every frame at first, as a budget's planner keeps while the clip fits; key frames only once frame 60 is out,
        // as it would when the model falls behind. The plan made at the first packet reads everything.
        VideoDecoder changing = switchingAt(60, i -> true, i -> i % 50 == 0);

        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip.mp4", bytes);
            TransferStats stats = new TransferStats();
            Map<Long, String> thinned = stamps(changing.decode(HttpSource.create(uri,
                    HttpSettings.create().optListener(stats))));

            assertThat(thinned.keySet()).containsAll(LongStream.rangeClosed(0, 60).boxed().toList())
                    .contains(100L, 150L).allMatch(i -> i < 100 || i % 50 == 0);
            thinned.forEach((index, stamp) -> assertThat(stamp).as("frame %d", index).isEqualTo(whole.get(index)));
            // The first two GOPs (what was read before the change), then the last two GOPs' key samples.
            assertThat(stats.bytes()).as("bytes fetched of %d", bytes.length).isLessThan((long) (bytes.length * 0.7));
        }
    }

    @Test
    void aSelectionThatWidensAgainFetchesTheSamplesItLeftOutFromTheNextKeySample() {
        Path clip = TestVideo.create().optSize(640, 360).optFrames(FRAMES).optGop(50).optBitrate(4_000_000)
                .optGrain(4).writeTo(dir.resolve("widening.mp4"));
        byte[] bytes = Clips.bytes(clip);
        Map<Long, String> whole = stamps(VideoDecoder.create().decode(MemorySource.of(bytes)));
        // Key frames only at first (the plan reads their samples alone), every frame once frame 100 is out.
        VideoDecoder changing = switchingAt(100, i -> i % 50 == 0, i -> true);

        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip.mp4", bytes);
            Map<Long, String> thinned = stamps(changing.decode(HttpSource.create(uri, HttpSettings.create())));

            // The rest of frame 100's GOP was left out of the read; the last GOP is read whole again.
            assertThat(thinned.keySet()).contains(0L, 50L, 100L)
                    .containsAll(LongStream.range(150, FRAMES).boxed().toList())
                    .allMatch(i -> i % 50 == 0 || i > 150);
            thinned.forEach((index, stamp) -> assertThat(stamp).as("frame %d", index).isEqualTo(whole.get(index)));
        }
    }

    @Test
    void keyFramesOfAClipWithBFramesFetchAboutTheKeySamplesOnly() {
        Path clip = TestVideo.create().optCodec(Codec.MPEG4).optSize(640, 360).optFrames(FRAMES).optGop(50)
                .optBFrames(2).optGrain(4).writeTo(dir.resolve("reordered.mp4"));
        byte[] bytes = Clips.bytes(clip);
        long keyBytes = KeySamples.bytes(clip);
        List<String> reference = decodedWhole(bytes, VideoFrame::keyframe);

        try (TestHttpServer server = TestHttpServer.start()) {
            URI uri = server.serve("/clip.mp4", bytes);
            TransferStats stats = new TransferStats();
            List<String> sparse = Frames.each(VideoDecoder.create().optKeyframesOnly(true).decode(HttpSource.create(
                    uri, HttpSettings.create().optListener(stats))), SparseFetchTest::stamp);

            assertThat(sparse).isNotEmpty().isEqualTo(reference);
            assertThat(stats.bytes()).as("bytes fetched of %d, key samples %d", bytes.length, keyBytes)
                    .isLessThan((long) (keyBytes * 1.2) + (320 << 10))
                    .isLessThan(bytes.length / 2);
        }
    }

    /** A decoder whose selection is {@code before} until frame {@code frame} came out, then {@code after}. */
    private static VideoDecoder switchingAt(long frame, LongPredicate before, LongPredicate after) {
        AtomicBoolean switched = new AtomicBoolean();
        return VideoDecoder.create().optThreads(1)
                .optFrameFilter(i -> switched.get() ? after.test(i) : before.test(i))
                .optListener(new DecodeListener() {
                    @Override
                    public void frameDecoded(long index, boolean selected) {
                        if (index >= frame) {
                            switched.set(true);
                        }
                    }
                });
    }

    /** Each frame's {@link #stamp}, by index. */
    private static Map<Long, String> stamps(Flux<VideoFrame> frames) {
        return Frames.each(frames, frame -> Map.entry(frame.index(), stamp(frame))).stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** The {@link #stamp}s of the frames {@code keep} accepts among every frame of a decode of the whole file. */
    private static List<String> decodedWhole(byte[] bytes, Predicate<VideoFrame> keep) {
        return Frames.each(VideoDecoder.create().decode(MemorySource.of(bytes)),
                frame -> keep.test(frame) ? stamp(frame) : "").stream().filter(sha -> !sha.isEmpty()).toList();
    }

    /** A frame's number, timestamp and the sha256 of its pixels: what must not change when samples are skipped. */
    private static String stamp(VideoFrame frame) {
        return frame.index() + " @" + frame.pts() + " " + Frames.sha256(frame);
    }
}
