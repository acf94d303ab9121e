package dev.reelflux.decoders.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link FrameStamp} drawn on a canvas in memory and read back, with the degradations a decoder can add. */
class TestVideoFrameStampTest {

    private static final int W = 320;
    private static final int H = 240;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 255, 256, 4660, 32768, 43690, 65535})
    void readsBackEveryIndexFromLuma(int index) {
        YuvCanvas canvas = stamped(W, H, index);

        assertThat(FrameStamp.read(canvas.luma(), W, H, canvas.lumaStride())).isEqualTo(index);
        assertThat(FrameStamp.read(canvas.luma().array(), W, H, canvas.lumaStride())).isEqualTo(index);
    }

    @Test
    void wrapsAt65536() {
        assertThat(FrameStamp.read(stamped(W, H, 65536 + 7).luma(), W, H, W)).isEqualTo(7);
    }

    @Test
    void readsPaddedRowsAndHonoursBufferPosition() {
        int linesize = W + 64;
        byte[] tight = stamped(W, H, 1234).luma().array();
        ByteBuffer padded = ByteBuffer.allocate(10 + linesize * H);
        for (int y = 0; y < H; y++) {
            padded.put(10 + y * linesize, tight, y * W, W);
        }
        padded.position(10);

        assertThat(FrameStamp.read(padded, W, H, linesize)).isEqualTo(1234);
        assertThat(padded.position()).isEqualTo(10);
    }

    @Test
    void readsPackedRgbAndBgrInFullRange() {
        byte[] luma = stamped(W, H, 40000).luma().array();
        byte[] rgb = new byte[W * H * 3];
        for (int i = 0; i < W * H; i++) {
            // Limited to full range, as swscale does it; grey has R = G = B.
            int full = Math.max(0, Math.min(255, ((luma[i] & 0xFF) - 16) * 255 / 219));
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = (byte) full;
        }

        assertThat(FrameStamp.read(rgb, W, H, FrameStamp.Packing.RGB24)).isEqualTo(40000);
        assertThat(FrameStamp.read(ByteBuffer.wrap(rgb), W, H, FrameStamp.Packing.BGR24)).isEqualTo(40000);
    }

    @Test
    void survivesBlurNoiseAndOffset() {
        YuvCanvas canvas = stamped(W, H, 51966);
        byte[] luma = canvas.luma().array();
        byte[] degraded = new byte[luma.length];
        Random random = new Random(42);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int sum = 0;
                for (int d = -2; d <= 2; d++) {
                    sum += luma[y * W + Math.max(0, Math.min(W - 1, x + d))] & 0xFF;
                }
                int v = sum / 5 + 20 + (int) (random.nextGaussian() * 12);
                degraded[y * W + x] = (byte) Math.max(0, Math.min(255, v));
            }
        }

        assertThat(FrameStamp.read(degraded, W, H, W)).isEqualTo(51966);
    }

    @Test
    void unreadableWithoutStamp() {
        byte[] flat = new byte[W * H];
        Arrays.fill(flat, (byte) 128);
        byte[] noise = new byte[W * H];
        new Random(7).nextBytes(noise);
        YuvCanvas pattern = YuvCanvas.allocate(W, H);
        new PatternScene(W).draw(pattern, 3);
        pattern.fillRect(0, 0, W, FrameStamp.areaHeight(W, H), 16, 128, 128);

        assertThat(FrameStamp.read(flat, W, H, W)).isEqualTo(-1);
        assertThat(FrameStamp.read(noise, W, H, W)).isEqualTo(-1);
        assertThat(FrameStamp.read(pattern.luma(), W, H, W)).isEqualTo(-1);
    }

    @Test
    void unreadableWhenFrameIsSmallerThanStamp() {
        assertThat(FrameStamp.read(new byte[40 * 30], 40, 30, 40)).isEqualTo(-1);
    }

    @Test
    void rejectsBuffersSmallerThanTheirGeometry() {
        assertThatThrownBy(() -> FrameStamp.read(new byte[W * H - 1], W, H, W))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameStamp.read(new byte[W * H], W, H, W - 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameStamp.read(new byte[W * H], W, H, FrameStamp.Packing.RGB24))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cellsGrowWithThePictureInStepsOfEight() {
        assertThat(FrameStamp.cellSize(320, 240)).isEqualTo(8);
        assertThat(FrameStamp.cellSize(1280, 720)).isEqualTo(16);
        assertThat(FrameStamp.cellSize(1920, 1080)).isEqualTo(24);
        assertThat(FrameStamp.areaWidth(1920, 1080)).isEqualTo(192);
        assertThat(FrameStamp.areaHeight(1920, 1080)).isEqualTo(96);
    }

    @Test
    void stampChromaIsNeutral() {
        YuvCanvas canvas = YuvCanvas.allocate(W, H);
        new PatternScene(W).draw(canvas, 9);
        FrameStamp.draw(canvas, 9);

        for (int y = 0; y < FrameStamp.areaHeight(W, H); y++) {
            for (int x = 0; x < FrameStamp.areaWidth(W, H); x++) {
                assertThat(canvas.cbAt(x, y)).isEqualTo(128);
                assertThat(canvas.crAt(x, y)).isEqualTo(128);
            }
        }
    }

    private static YuvCanvas stamped(int width, int height, int index) {
        YuvCanvas canvas = YuvCanvas.allocate(width, height);
        canvas.fillRect(0, 0, width, height, 90, 100, 150);
        FrameStamp.draw(canvas, index);
        return canvas;
    }
}
