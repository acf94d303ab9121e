package dev.reelflux.decoders.testing;

import dev.reelflux.core.ReelfluxException;
import dev.reelflux.decoders.testing.TestVideo.Codec;
import dev.reelflux.decoders.testing.TestVideo.Container;
import dev.reelflux.decoders.testing.TestVideo.Scene;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Every clip {@link TestVideo} writes is checked with a decoder that shares no code with the writer
 * ({@link ClipProbe}: FFmpeg's stock demux and decode path) and, for MP4 layout, with a plain box scan.
 */
class TestVideoTest {

    /** Small and short, at the low bitrate the stamp must survive. */
    private static final TestVideo SMALL = TestVideo.create().optFrames(30).optGop(10).optBitrate(300_000);

    @TempDir
    Path dir;

    static Stream<Arguments> validCombinations() {
        return Arrays.stream(Codec.values()).flatMap(codec -> Arrays.stream(Container.values())
                .filter(container -> container.supports(codec) && container.oneFile())
                .map(container -> Arguments.of(codec, container)));
    }

    @ParameterizedTest
    @MethodSource("validCombinations")
    void writesEveryValidCombination(Codec codec, Container container) {
        TestVideo spec = SMALL.optCodec(codec).optContainer(container);

        ClipProbe.Result clip = ClipProbe.probe(spec.writeTo(dir.resolve("clip" + container.extension())));

        assertThat(clip.codecName()).isEqualTo(codec.name().toLowerCase());
        assertThat(clip.width()).isEqualTo(320);
        assertThat(clip.height()).isEqualTo(240);
        assertThat(clip.frameRate()).isEqualTo(25.0);
        assertThat(clip.stamps()).containsExactlyElementsOf(indices(30));
        assertThat(clip.keyFrameIndices()).containsExactly(0, 10, 20).isEqualTo(spec.expectedKeyframes());
        assertThat(clip.keyPacketIndices()).containsExactly(0, 10, 20);
        double start = clip.frames().get(0).seconds();
        for (ClipProbe.Frame frame : clip.frames()) {
            assertThat(frame.seconds() - start).isCloseTo(frame.index() / 25.0, within(1e-3));
        }
    }

    static Stream<Container> mpeg4Containers() {
        return Arrays.stream(Container.values()).filter(c -> c.supports(Codec.MPEG4) && c.oneFile());
    }

    @ParameterizedTest
    @MethodSource("mpeg4Containers")
    void mpeg4WritesRealBFramesAndTheyDecodeInDisplayOrder(Container container) {
        TestVideo spec = SMALL.optCodec(Codec.MPEG4).optBFrames(2).optContainer(container);

        ClipProbe.Result clip = ClipProbe.probe(spec.writeTo(dir.resolve("b" + container.extension())));

        assertThat(clip.countPictType('B')).isGreaterThanOrEqualTo(10);
        assertThat(clip.stamps()).containsExactlyElementsOf(indices(30));
        assertThat(clip.keyFrameIndices()).isEqualTo(spec.expectedKeyframes());
        assertThat(clip.keyPacketIndices()).isEqualTo(spec.expectedKeyframes());
    }

    @Test
    void h264IsConstrainedBaselineWithoutBFrames() {
        ClipProbe.Result clip = ClipProbe.probe(SMALL.writeTo(dir.resolve("h264.mp4")));

        assertThat(clip.profile()).isEqualTo("Constrained Baseline");
        assertThat(clip.countPictType('B')).isZero();
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void keyframesLandExactlyOnAnOddGop(Codec codec) {
        TestVideo spec = SMALL.optCodec(codec).optContainer(Container.MKV).optFrames(40).optGop(7)
                .optBFrames(codec.supportsBFrames() ? 3 : 0);

        ClipProbe.Result clip = ClipProbe.probe(spec.writeTo(dir.resolve("gop7.mkv")));

        assertThat(spec.expectedKeyframes()).containsExactly(0, 7, 14, 21, 28, 35);
        assertThat(clip.keyFrameIndices()).isEqualTo(spec.expectedKeyframes());
        assertThat(clip.keyPacketIndices()).isEqualTo(spec.expectedKeyframes());
        assertThat(clip.stamps()).containsExactlyElementsOf(indices(40));
    }

    @Test
    void faststartPutsMoovBeforeMdat() {
        List<Mp4Boxes.Box> boxes = Mp4Boxes.topLevel(SMALL.writeTo(dir.resolve("fast.mp4")));

        assertThat(boxes).extracting(Mp4Boxes.Box::type).containsSubsequence("ftyp", "moov", "mdat");
    }

    @Test
    void defaultMp4PutsMoovAfterMdat() {
        List<Mp4Boxes.Box> boxes = Mp4Boxes.topLevel(
                SMALL.optContainer(Container.MP4_MOOV_AT_END).writeTo(dir.resolve("slow.mp4")));

        assertThat(boxes).extracting(Mp4Boxes.Box::type).containsSubsequence("ftyp", "mdat", "moov");
        assertThat(boxes.get(boxes.size() - 1).type()).isEqualTo("moov");
    }

    @Test
    void fragmentedMp4HasAnEmptyMoovThenOneFragmentPerGop() {
        List<Mp4Boxes.Box> boxes = Mp4Boxes.topLevel(
                SMALL.optContainer(Container.MP4_FRAGMENTED).writeTo(dir.resolve("frag.mp4")));
        List<String> types = boxes.stream().map(Mp4Boxes.Box::type).toList();

        assertThat(types.indexOf("moov")).isLessThan(types.indexOf("moof"));
        assertThat(types.stream().filter("moof"::equals)).hasSize(3);
        assertThat(types.stream().filter("mdat"::equals)).hasSize(3);
    }

    @Test
    void defaultsAreSmallH264InFaststartMp4() {
        TestVideo spec = TestVideo.create();
        Path file = spec.writeTo(dir.resolve("default.mp4"));

        ClipProbe.Result clip = ClipProbe.probe(file);

        assertThat(spec.bitrate()).isEqualTo(1_000_000);
        assertThat(spec.bFrames()).isZero();
        assertThat(spec.scene()).isEqualTo(Scene.STAMPED_PATTERN);
        assertThat(clip.codecName()).isEqualTo("h264");
        assertThat(clip.width()).isEqualTo(320);
        assertThat(clip.height()).isEqualTo(240);
        assertThat(clip.frameRate()).isEqualTo(25.0);
        assertThat(clip.stamps()).containsExactlyElementsOf(indices(50));
        assertThat(clip.keyFrameIndices()).containsExactly(0, 25);
        assertThat(Mp4Boxes.first(Mp4Boxes.topLevel(file), "moov").orElseThrow().offset())
                .isLessThan(Mp4Boxes.first(Mp4Boxes.topLevel(file), "mdat").orElseThrow().offset());
    }

    @ParameterizedTest
    @CsvSource({"H264, MP4_FASTSTART, 0", "MPEG4, MP4_MOOV_AT_END, 2", "VP9, WEBM, 0", "AV1, WEBM, 0"})
    void ballSurvivesEncodingWhereTheTruthSaysItIs(Codec codec, Container container, int bFrames) {
        TestVideo spec = SMALL.optScene(Scene.BALL).optCodec(codec).optContainer(container).optBFrames(bFrames);
        List<Double> errors = new ArrayList<>();

        ClipProbe.Result clip = ClipProbe.probe(spec.writeTo(dir.resolve("ball" + container.extension())),
                (index, luma, width, height, linesize) -> errors.add(BallScene.locate(luma, width, height, linesize)
                        .orElseThrow().distanceTo(BallScene.center(index, width, height))));

        assertThat(clip.stamps()).containsExactlyElementsOf(indices(30));
        assertThat(errors).hasSize(30).allSatisfy(error -> assertThat(error).isLessThan(1.5));
    }

    @Test
    void fullHdKeepsStampAndBallAtScale() {
        TestVideo spec = TestVideo.create().optScene(Scene.BALL).optSize(1920, 1080).optFrames(10).optGop(5);
        List<Double> errors = new ArrayList<>();

        ClipProbe.Result clip = ClipProbe.probe(spec.writeTo(dir.resolve("hd.mp4")),
                (index, luma, width, height, linesize) -> errors.add(BallScene.locate(luma, width, height, linesize)
                        .orElseThrow().distanceTo(BallScene.center(index, width, height))));

        assertThat(clip.width()).isEqualTo(1920);
        assertThat(clip.height()).isEqualTo(1080);
        assertThat(clip.stamps()).containsExactlyElementsOf(indices(10));
        assertThat(clip.keyFrameIndices()).containsExactly(0, 5);
        assertThat(errors).allSatisfy(error -> assertThat(error).isLessThan(1.5));
    }

    @Test
    void grainMakesTheEncoderSpendItsBitrateAndKeepsStampAndBall() {
        TestVideo spec = TestVideo.create().optScene(Scene.BALL).optSize(640, 360).optFrames(25).optGop(25)
                .optBitrate(4_000_000);
        List<Double> errors = new ArrayList<>();

        long flat = spec.toBytes().length;
        ClipProbe.Result grainy = ClipProbe.probe(spec.optGrain(6).writeTo(dir.resolve("grain.mp4")),
                (index, luma, width, height, linesize) -> errors.add(BallScene.locate(luma, width, height, linesize)
                        .orElseThrow().distanceTo(BallScene.center(index, width, height))));

        // 25 frames at 4 Mb/s and 25 fps: 500 kB when the encoder spends it all.
        assertThat(flat).isLessThan(150_000);
        assertThat(dir.resolve("grain.mp4")).satisfies(file -> assertThat(java.nio.file.Files.size(file))
                .isBetween(350_000L, 650_000L));
        assertThat(grainy.stamps()).containsExactlyElementsOf(indices(25));
        assertThat(errors).hasSize(25).allSatisfy(error -> assertThat(error).isLessThan(1.5));
        assertThatThrownBy(() -> spec.optGrain(33)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "MPEG4, WEBM, 0, BALL", "H264, WEBM, 0, STAMPED_PATTERN", "VP9, MPEGTS, 0, STAMPED_PATTERN",
            "AV1, MPEGTS, 0, BALL", "H264, MP4_FASTSTART, 1, STAMPED_PATTERN", "VP9, MKV, 2, STAMPED_PATTERN",
            "AV1, MKV, 1, BALL"})
    void rejectsImpossibleCombinationsBeforeTouchingTheFile(Codec codec, Container container, int bFrames,
                                                             Scene scene) {
        TestVideo spec = TestVideo.create().optCodec(codec).optContainer(container).optBFrames(bFrames)
                .optScene(scene);
        Path file = dir.resolve("never" + container.extension());

        assertThatThrownBy(() -> spec.writeTo(file)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(spec::toBytes).isInstanceOf(IllegalArgumentException.class);
        assertThat(file).doesNotExist();
    }

    @Test
    void rejectsBallSceneBelowItsMinimumHeight() {
        TestVideo spec = TestVideo.create().optScene(Scene.BALL).optSize(160, BallScene.MIN_HEIGHT - 2);

        assertThatThrownBy(() -> spec.writeTo(dir.resolve("low.mp4"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsOutOfRangeSettings() {
        TestVideo spec = TestVideo.create();

        assertThatThrownBy(() -> spec.optSize(62, 240)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.optSize(321, 240)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.optFps(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.optFrames(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.optGop(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.optBFrames(5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.optBitrate(9_999)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.optCodec(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void optCopiesLeaveTheOriginalAlone() {
        TestVideo base = TestVideo.create();

        TestVideo changed = base.optCodec(Codec.MPEG4).optContainer(Container.MKV).optSize(640, 480).optFps(30)
                .optFrames(90).optGop(30).optBFrames(2).optBitrate(2_000_000).optScene(Scene.BALL);

        assertThat(base.toString()).isEqualTo(TestVideo.create().toString());
        assertThat(changed.codec()).isEqualTo(Codec.MPEG4);
        assertThat(changed.container()).isEqualTo(Container.MKV);
        assertThat(changed.width()).isEqualTo(640);
        assertThat(changed.height()).isEqualTo(480);
        assertThat(changed.fps()).isEqualTo(30);
        assertThat(changed.frames()).isEqualTo(90);
        assertThat(changed.gop()).isEqualTo(30);
        assertThat(changed.bFrames()).isEqualTo(2);
        assertThat(changed.bitrate()).isEqualTo(2_000_000);
        assertThat(changed.scene()).isEqualTo(Scene.BALL);
        assertThat(changed.expectedKeyframes()).containsExactly(0, 30, 60);
    }

    @Test
    void defaultBitrateGrowsWithThePicture() {
        assertThat(TestVideo.create().optSize(1920, 1080).bitrate()).isEqualTo(7_776_000);
    }

    @Test
    void toBytesGivesTheSameClipAsWriteTo() throws Exception {
        TestVideo spec = SMALL.optCodec(Codec.MPEG4).optContainer(Container.MPEGTS);

        byte[] bytes = spec.toBytes();

        assertThat(bytes).isEqualTo(Files.readAllBytes(spec.writeTo(dir.resolve("same.ts"))));
    }

    @Test
    void ffmpegFailuresCarryTheErrorTextAndLeaveNoFile() {
        Path file = dir.resolve("missing").resolve("clip.mp4");

        assertThatThrownBy(() -> SMALL.writeTo(file))
                .isInstanceOf(ReelfluxException.class)
                .hasMessageContaining("test-video")
                .hasMessageContaining("avio_open")
                .hasMessageContaining("No such file or directory");
        assertThat(file).doesNotExist();
    }

    @Test
    void writingLeavesNoJavaCppAllocationsBehind() {
        TestVideo spec = SMALL.optFrames(5);
        spec.writeTo(dir.resolve("warm.mp4"));
        long before = Pointer.totalBytes();

        spec.writeTo(dir.resolve("measured.mp4"));

        assertThat(Pointer.totalBytes()).isEqualTo(before);
    }

    @Test
    void writesFromSeveralThreadsAtOnce() {
        List<ClipProbe.Result> clips = IntStream.range(0, 4).parallel()
                .mapToObj(i -> ClipProbe.probe(SMALL.optFrames(10 + i).writeTo(dir.resolve("t" + i + ".mp4"))))
                .toList();

        for (int i = 0; i < 4; i++) {
            assertThat(clips.get(i).stamps()).containsExactlyElementsOf(indices(10 + i));
        }
    }

    private static List<Integer> indices(int n) {
        return IntStream.range(0, n).boxed().toList();
    }
}
