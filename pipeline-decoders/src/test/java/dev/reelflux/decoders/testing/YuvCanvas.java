package dev.reelflux.decoders.testing;

import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Draws straight into the three planes of one 8-bit YUV 4:2:0 picture (BT.601 limited range), so scenes need no
 * scaler or colour conversion. Chroma has half the luma resolution both ways: shapes are best placed on even
 * coordinates.
 */
final class YuvCanvas {

    /** Limited-range luma of black. */
    static final int BLACK = 16;
    /** Limited-range luma of white. */
    static final int WHITE = 235;
    /** Chroma of any grey. */
    static final int NEUTRAL = 128;

    /** Sub-samples per axis for the disc edge coverage: 16 per pixel is plenty for sub-pixel centres. */
    private static final int SUPERSAMPLE = 4;
    /** Grain values per amplitude, shared by every canvas. */
    private static final Map<Integer, byte[]> GRAIN = new ConcurrentHashMap<>();

    private final int width;
    private final int height;
    private final ByteBuffer y;
    private final ByteBuffer u;
    private final ByteBuffer v;
    private final int yStride;
    private final int cStride;

    YuvCanvas(int width, int height, ByteBuffer y, int yStride, ByteBuffer u, ByteBuffer v, int cStride) {
        this.width = width;
        this.height = height;
        this.y = y;
        this.u = u;
        this.v = v;
        this.yStride = yStride;
        this.cStride = cStride;
    }

    /** A canvas over the planes of a writable {@code AV_PIX_FMT_YUV420P} frame. */
    static YuvCanvas of(AVFrame frame) {
        int w = frame.width();
        int h = frame.height();
        int ch = (h + 1) / 2;
        return new YuvCanvas(w, h,
                frame.data(0).capacity((long) frame.linesize(0) * h).asByteBuffer(), frame.linesize(0),
                frame.data(1).capacity((long) frame.linesize(1) * ch).asByteBuffer(),
                frame.data(2).capacity((long) frame.linesize(2) * ch).asByteBuffer(), frame.linesize(1));
    }

    /** A canvas over three fresh heap planes with tight strides, for tests that draw without FFmpeg. */
    static YuvCanvas allocate(int width, int height) {
        int cw = (width + 1) / 2;
        int ch = (height + 1) / 2;
        return new YuvCanvas(width, height, ByteBuffer.allocate(width * height), width,
                ByteBuffer.allocate(cw * ch), ByteBuffer.allocate(cw * ch), cw);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** The luma plane (shared, not a copy). */
    ByteBuffer luma() {
        return y;
    }

    /** Bytes from one luma row to the next. */
    int lumaStride() {
        return yStride;
    }

    /** Luma at pixel ({@code x}, {@code y}). */
    int lumaAt(int x, int y) {
        return this.y.get(y * yStride + x) & 0xFF;
    }

    /** Cb of the chroma sample covering pixel ({@code x}, {@code y}). */
    int cbAt(int x, int y) {
        return u.get(y / 2 * cStride + x / 2) & 0xFF;
    }

    /** Cr of the chroma sample covering pixel ({@code x}, {@code y}). */
    int crAt(int x, int y) {
        return v.get(y / 2 * cStride + x / 2) & 0xFF;
    }

    /** Copies {@code width} luma samples from {@code src} at {@code offset} into row {@code row}. */
    void lumaRow(int row, byte[] src, int offset) {
        y.put(row * yStride, src, offset, width);
    }

    /** Copies one chroma row (half width, rounded up) of Cb and Cr into chroma row {@code row}. */
    void chromaRow(int row, byte[] cb, int cbOffset, byte[] cr, int crOffset) {
        int cw = (width + 1) / 2;
        u.put(row * cStride, cb, cbOffset, cw);
        v.put(row * cStride, cr, crOffset, cw);
    }

    /**
     * Adds grain to the luma plane: each sample moves by a value in {@code [-amplitude, amplitude]}, clamped to the
     * limited range. Rows take their values from one shared random table at random starts, so a frame costs a table
     * look-up per pixel, and motion search finds no match in the previous frame.
     */
    void addGrain(int amplitude, SplittableRandom random) {
        byte[] table = GRAIN.computeIfAbsent(amplitude, YuvCanvas::grainTable);
        for (int row = 0; row < height; row++) {
            int start = random.nextInt(table.length - width);
            int base = row * yStride;
            for (int col = 0; col < width; col++) {
                int value = (y.get(base + col) & 0xFF) + table[start + col];
                y.put(base + col, (byte) Math.max(BLACK, Math.min(WHITE, value)));
            }
        }
    }

    private static byte[] grainTable(int amplitude) {
        SplittableRandom random = new SplittableRandom(amplitude);
        byte[] table = new byte[1 << 16];
        for (int i = 0; i < table.length; i++) {
            table[i] = (byte) random.nextInt(-amplitude, amplitude + 1);
        }
        return table;
    }

    /** Fills a rectangle, clipped to the picture; chroma covers every chroma sample the rectangle touches. */
    void fillRect(int x, int y0, int w, int h, int luma, int cb, int cr) {
        int x0 = Math.max(0, x);
        int x1 = Math.min(width, x + w);
        int y1 = Math.min(height, y0 + h);
        for (int row = Math.max(0, y0); row < y1; row++) {
            for (int col = x0; col < x1; col++) {
                y.put(row * yStride + col, (byte) luma);
            }
        }
        for (int row = Math.max(0, y0) / 2; row < (y1 + 1) / 2; row++) {
            for (int col = x0 / 2; col < (x1 + 1) / 2; col++) {
                u.put(row * cStride + col, (byte) cb);
                v.put(row * cStride + col, (byte) cr);
            }
        }
    }

    /**
     * Blends a filled disc over the picture with edge pixels weighted by their covered area, so the luma-weighted
     * centroid of the disc lands on ({@code cx}, {@code cy}) to a small fraction of a pixel. Pixel centres sit at
     * half-integer coordinates.
     */
    void blendDisc(double cx, double cy, double r, int luma, int cb, int cr) {
        int x0 = Math.max(0, (int) Math.floor(cx - r) & ~1);
        int y0 = Math.max(0, (int) Math.floor(cy - r) & ~1);
        int x1 = Math.min(width, (int) Math.ceil(cx + r) + 2);
        int y1 = Math.min(height, (int) Math.ceil(cy + r) + 2);
        for (int row = y0; row < y1; row += 2) {
            for (int col = x0; col < x1; col += 2) {
                double sum = 0;
                for (int dy = 0; dy < 2 && row + dy < y1; dy++) {
                    for (int dx = 0; dx < 2 && col + dx < x1; dx++) {
                        double a = coverage(col + dx, row + dy, cx, cy, r);
                        blend(y, (row + dy) * yStride + col + dx, luma, a);
                        sum += a;
                    }
                }
                blend(u, row / 2 * cStride + col / 2, cb, sum / 4);
                blend(v, row / 2 * cStride + col / 2, cr, sum / 4);
            }
        }
    }

    private static double coverage(int px, int py, double cx, double cy, double r) {
        int inside = 0;
        for (int sy = 0; sy < SUPERSAMPLE; sy++) {
            double dy = py + (sy + 0.5) / SUPERSAMPLE - cy;
            for (int sx = 0; sx < SUPERSAMPLE; sx++) {
                double dx = px + (sx + 0.5) / SUPERSAMPLE - cx;
                if (dx * dx + dy * dy <= r * r) {
                    inside++;
                }
            }
        }
        return inside / (double) (SUPERSAMPLE * SUPERSAMPLE);
    }

    private static void blend(ByteBuffer plane, int index, int value, double alpha) {
        if (alpha > 0) {
            int under = plane.get(index) & 0xFF;
            plane.put(index, (byte) Math.round(under + (value - under) * alpha));
        }
    }
}
