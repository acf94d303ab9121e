package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.testing.Mp4Boxes;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.decoders.testing.TestVideo.Codec;
import dev.reelflux.decoders.testing.TestVideo.Container;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SampleTableTest {

    private static final int FRAMES = 30;

    @TempDir
    Path dir;

    /** The file's moov body, as {@link MoovCapture} keeps it from the file's bytes in chunks of {@code chunk}. */
    private static ByteBuffer moovBody(Path file, int chunk) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        MoovCapture capture = new MoovCapture();
        for (int offset = 0; offset < bytes.length; offset += chunk) {
            capture.accept((long) offset, ByteBuffer.wrap(bytes, offset, Math.min(chunk, bytes.length - offset)));
        }
        return capture.take();
    }

    @ParameterizedTest
    @EnumSource(value = Container.class, names = {"MP4_FASTSTART", "MP4_MOOV_AT_END"})
    void aClipWithBFramesHasCompositionOffsetsAndTheSizesOfItsSamples(Container container) throws IOException {
        Path clip = TestVideo.create().optCodec(Codec.MPEG4).optContainer(container).optFrames(FRAMES).optGop(10)
                .optBFrames(2).writeTo(dir.resolve("b.mp4"));
        // A chunk size that cuts box headers in two.
        SampleTable table = SampleTable.parse(moovBody(clip, 7), 1, FRAMES);

        assertThat(table).isNotNull();
        assertThat(table.samples()).isEqualTo(FRAMES);
        assertThat(IntStream.range(0, FRAMES).map(table::size).sum())
                .isEqualTo(Mp4Boxes.first(Mp4Boxes.topLevel(clip), "mdat").orElseThrow().size() - 8);
        assertThat(IntStream.range(0, FRAMES).map(table::compositionOffset).distinct().count()).isGreaterThan(1);
        assertThat(table.marksDisposable()).isFalse();
        assertThat(table.disposable(3)).isFalse();
    }

    @Test
    void dependencyMarksGiveTheDisposableSamples() throws IOException {
        Path clip = TestVideo.create().optCodec(Codec.MPEG4).optFrames(FRAMES).optGop(10).optBFrames(2)
                .optClosedGops(true).optDependencyMarks(true).writeTo(dir.resolve("marked.mp4"));
        SampleTable table = SampleTable.parse(moovBody(clip, 4096), 1, FRAMES);

        assertThat(table.marksDisposable()).isTrue();
        long disposable = IntStream.range(0, FRAMES).filter(table::disposable).count();
        // Two B-frames between references, most of the way.
        assertThat(disposable).isBetween(FRAMES / 3L, 2L * FRAMES / 3);
        assertThat(table.disposable(0)).as("the first key frame").isFalse();
    }

    @Test
    void aClipWithoutReorderingHasNoOffsetsAndAnUnknownTrackNoTable() throws IOException {
        Path clip = TestVideo.create().optFrames(FRAMES).writeTo(dir.resolve("h264.mp4"));
        ByteBuffer body = moovBody(clip, 65536);
        SampleTable table = SampleTable.parse(body, 1, FRAMES);

        assertThat(table.samples()).isEqualTo(FRAMES);
        assertThat(IntStream.range(0, FRAMES).map(table::compositionOffset).distinct()).containsExactly(0);
        assertThat(SampleTable.parse(body, 2, FRAMES)).isNull();
        assertThat(SampleTable.parse(body, 1, FRAMES + 1)).as("fewer samples than the index").isNull();
    }

    @Test
    void aMalformedMoovGivesNoTable() throws IOException {
        Path clip = TestVideo.create().optFrames(FRAMES).writeTo(dir.resolve("h264.mp4"));
        ByteBuffer body = moovBody(clip, 65536);
        ByteBuffer cut = body.duplicate().limit(body.limit() / 2);

        assertThat(SampleTable.parse(cut, 1, FRAMES)).isNull();
        assertThat(SampleTable.parse(ByteBuffer.wrap(new byte[] {0, 0, 0, 9, 't', 'r', 'a', 'k', 0}), 1, FRAMES))
                .isNull();
    }

    @Test
    void aSampleCountBeyondTheIndexIsRefusedBeforeAnythingIsAllocated() {
        // One size for all samples, and two billion of them: nothing in the box itself bounds the count.
        byte[] stsz = box("stsz", ByteBuffer.allocate(12).putInt(0).putInt(1).putInt(0x7FFF_FFF0).array());
        ByteBuffer moov = ByteBuffer.wrap(trak(1, stsz));

        assertThat(SampleTable.parse(moov, 1, FRAMES)).isNull();
    }

    @Test
    void twoTracksWithOneIdGiveNoTable() {
        byte[] stsz = box("stsz", ByteBuffer.allocate(12).putInt(0).putInt(100).putInt(FRAMES).array());
        byte[] one = trak(1, stsz);

        assertThat(SampleTable.parse(ByteBuffer.wrap(one), 1, FRAMES).samples()).isEqualTo(FRAMES);
        assertThat(SampleTable.parse(ByteBuffer.wrap(concat(one, one)), 1, FRAMES)).isNull();
    }

    /** A {@code trak} box with {@code id} in its {@code tkhd} and {@code stbl} holding {@code tables}. */
    private static byte[] trak(int id, byte[] tables) {
        byte[] tkhd = box("tkhd", ByteBuffer.allocate(84).putInt(0).putInt(0).putInt(0).putInt(id).array());
        return box("trak", concat(tkhd, box("mdia", box("minf", box("stbl", tables)))));
    }

    private static byte[] box(String type, byte[] body) {
        return ByteBuffer.allocate(8 + body.length).putInt(8 + body.length).put(type.getBytes()).put(body).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }
}
