package dev.reelflux.decoders;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.core.FileSource;
import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.decoders.testing.TestVideo.Codec;
import dev.reelflux.decoders.testing.TestVideo.Container;
import dev.reelflux.decoders.testing.FrameStamp;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** What the decoder writes for each output format, and where. */
@ExtendWith(NativeLeakGate.class)
class FrameConversionTest {

    private static final int FRAMES = 10;

    private final Path clip = Clips.clip(Codec.H264, Container.MP4_FASTSTART, FRAMES, 25);

    @Test
    void sourceFormatCopiesEachPlaneTightly() {
        List<List<Plane>> layouts = Frames.each(decode(FrameFormat.source()), frame -> {
            assertThat(frame.pixelFormat()).isEqualTo("yuv420p");
            assertThat(frame.data().remaining()).isEqualTo(320 * 240 * 3 / 2);
            assertThat(frame.letterbox()).isEqualTo(Letterbox.identity(320, 240));
            return frame.planes();
        });

        assertThat(layouts).allSatisfy(planes -> assertThat(planes).containsExactly(
                new Plane(0, 320, 240), new Plane(320 * 240, 160, 120), new Plane(320 * 240 * 5 / 4, 160, 120)));
    }

    @Test
    void stretchedOutputRecordsTheScaleOfEachAxis() {
        Letterbox box = Frames.each(decode(FrameFormat.rgb24(160, 160)), VideoFrame::letterbox).get(0);

        assertThat(box).isEqualTo(new Letterbox(320, 240, 0.5, 160 / 240.0, 0, 0, 160, 160));
        assertThat(box.toSourceX(80)).isEqualTo(160);
        assertThat(box.toSourceY(160)).isEqualTo(240);
    }

    @Test
    void letterboxKeepsTheAspectRatioAndMapsBackToSourcePixels() {
        Letterbox tall = Frames.each(decode(FrameFormat.planarFloat(640, 640).optLetterbox(true)),
                VideoFrame::letterbox).get(0);
        Letterbox wide = Frames.each(decode(FrameFormat.rgb24(300, 100).optLetterbox(true)),
                VideoFrame::letterbox).get(0);

        assertThat(tall).isEqualTo(new Letterbox(320, 240, 2, 2, 0, 80, 640, 480));
        assertThat(tall.toSourceX(640)).isEqualTo(320);
        assertThat(tall.toSourceY(80)).isZero();
        assertThat(tall.toSourceY(560)).isEqualTo(240);
        assertThat(wide.contentWidth()).isEqualTo(133);
        assertThat(wide.contentHeight()).isEqualTo(100);
        assertThat(wide.padLeft()).isEqualTo(83);
        assertThat(wide.padTop()).isZero();
        assertThat(wide.scaleX()).isCloseTo(wide.scaleY(), within(0.01));
    }

    @Test
    void letterboxPaddingIsWrittenOverWhateverTheMemoryHeld() {
        FrameFormat format = FrameFormat.planarFloat(64, 64).optLetterbox(true).optPadValue(51);
        FrameAllocator dirty = (f, bytes) -> region(filled(bytes, (byte) 0x7F));

        float[][] planes = Frames.each(VideoDecoder.create().optOutput(format).optAllocator(dirty)
                .decode(FileSource.of(clip)), FrameConversionTest::floats).get(0);

        // 320x240 in 64x64: 64x48 picture, 8 rows of padding above and below.
        for (float[] plane : planes) {
            for (int y : new int[] {0, 7, 56, 63}) {
                assertThat(Arrays.copyOfRange(plane, y * 64, y * 64 + 64)).containsOnly(0.2f);
            }
            assertThat(Arrays.copyOfRange(plane, 8 * 64, 56 * 64)).doesNotContain(Float.intBitsToFloat(0x7F7F7F7F));
        }
    }

    @Test
    void planarFloatMatchesRgb24OfTheSameFrame() {
        FrameFormat rgbFormat = FrameFormat.rgb24(200, 150);
        List<byte[]> rgb = Frames.each(decode(rgbFormat), frame -> bytes(frame.data()));
        List<float[][]> planar = Frames.each(decode(FrameFormat.planarFloat(200, 150)), FrameConversionTest::floats);

        for (int f = 0; f < FRAMES; f++) {
            for (int i = 0; i < 200 * 150; i++) {
                for (int c = 0; c < 3; c++) {
                    float expected = (rgb.get(f)[i * 3 + c] & 0xFF) / 255f;
                    assertThat(planar.get(f)[c][i]).as("frame %d pixel %d channel %d", f, i, c)
                            .isCloseTo(expected, within(1.5f / 255));
                }
            }
        }
    }

    @Test
    void blackGreyAndWhiteMapToTheirByteValueOver255() {
        byte[] levels = TestVideo.create().optScene(TestVideo.Scene.GREY_LEVELS).optStamp(false).optSize(64, 64)
                .optFrames(3).optBitrate(2_000_000).toBytes();
        List<byte[]> rgb = Frames.each(VideoDecoder.create().optOutput(FrameFormat.rgb24(64, 64))
                .decode(MemorySource.of(levels)), frame -> bytes(frame.data()));
        List<float[][]> planar = Frames.each(VideoDecoder.create().optOutput(FrameFormat.planarFloat(64, 64))
                .decode(MemorySource.of(levels)), FrameConversionTest::floats);

        int[] expected = {0, 128, 255};
        for (int f = 0; f < 3; f++) {
            for (int i = 0; i < 64 * 64 * 3; i++) {
                assertThat(rgb.get(f)[i] & 0xFF).as("frame %d byte %d", f, i).isEqualTo(expected[f]);
            }
            for (float[] plane : planar.get(f)) {
                for (float value : plane) {
                    // What a user computes by hand from the byte: 0, 128 / 255 and exactly 1 for white.
                    assertThat(value).as("frame %d", f).isCloseTo(expected[f] / 255f, within(0.5f / 255));
                }
            }
        }
        assertThat(planar.get(0)[0][0]).isEqualTo(0f);
        assertThat(planar.get(2)[0][0]).isEqualTo(1f);
    }

    @Test
    void bgr24IsRgb24WithTheChannelsSwapped() {
        byte[] rgb = Frames.each(decode(FrameFormat.rgb24(320, 240)), frame -> bytes(frame.data())).get(3);
        byte[] bgr = Frames.each(decode(FrameFormat.bgr24(320, 240)), frame -> bytes(frame.data())).get(3);

        for (int i = 0; i < rgb.length; i += 3) {
            assertThat(new byte[] {bgr[i + 2], bgr[i + 1], bgr[i]}).containsExactly(rgb[i], rgb[i + 1], rgb[i + 2]);
        }
        assertThat(FrameStamp.read(rgb, 320, 240, FrameStamp.Packing.RGB24)).isEqualTo(3);
    }

    @Test
    void scaledFramesAreWrittenStraightIntoTheAllocatorsMemory() {
        // A batch slab as the inference stage will lend it: one buffer, one slot per frame.
        FrameFormat format = FrameFormat.planarFloat(32, 32);
        ByteBuffer slab = ByteBuffer.allocateDirect(FRAMES * format.byteSize()).order(ByteOrder.nativeOrder());
        AtomicInteger slot = new AtomicInteger();
        FrameAllocator slots = (f, bytes) -> region(slab.slice(slot.getAndIncrement() * bytes, bytes)
                .order(ByteOrder.nativeOrder()));

        List<float[][]> frames = Frames.each(VideoDecoder.create().optOutput(format).optAllocator(slots)
                .decode(FileSource.of(clip)), FrameConversionTest::floats);

        FloatBuffer all = slab.asFloatBuffer();
        for (int f = 0; f < FRAMES; f++) {
            float[] written = new float[3 * 32 * 32];
            all.get(f * written.length, written);
            float[] emitted = new float[written.length];
            for (int c = 0; c < 3; c++) {
                System.arraycopy(frames.get(f)[c], 0, emitted, c * 32 * 32, 32 * 32);
            }
            assertThat(written).as("slot %d", f).containsExactly(emitted);
        }
    }

    private Flux<VideoFrame> decode(FrameFormat format) {
        return VideoDecoder.create().optOutput(format).decode(FileSource.of(clip));
    }

    /** The three planes of a planar float frame. */
    private static float[][] floats(VideoFrame frame) {
        FloatBuffer data = frame.data().asFloatBuffer();
        int plane = frame.width() * frame.height();
        float[][] planes = new float[3][plane];
        for (int c = 0; c < 3; c++) {
            data.get(c * plane, planes[c]);
        }
        return planes;
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return copy;
    }

    private static ByteBuffer filled(int bytes, byte value) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        while (buffer.hasRemaining()) {
            buffer.put(value);
        }
        return buffer.clear();
    }

    private static FrameAllocator.Region region(ByteBuffer buffer) {
        return new FrameAllocator.Region() {
            @Override
            public ByteBuffer buffer() {
                return buffer;
            }

            @Override
            public void close() {
            }
        };
    }
}
