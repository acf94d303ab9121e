package dev.reelflux.decoders.testing;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The frame index written into the top-left corner of every {@link TestVideo} frame, and its reader.
 *
 * <p>Layout: a grid of 8 columns by 4 rows of square cells, {@link #cellSize(int, int)} pixels each, from (0, 0).
 * Rows 0 and 2 hold the high and low byte of the index (most significant bit left, white for 1, black for 0); rows 1
 * and 3 hold the same bits inverted. Chroma is neutral over the whole grid. Reading compares each cell with the one
 * below it, so the code needs no threshold and survives any luma range (limited or full), brightness offset and the
 * blur of a 300 kb/s encode; a pair that is not clearly different makes the whole stamp unreadable, which is also how
 * a frame without a stamp reads.
 *
 * <p>The index is 16 bits: frame {@code i} carries {@code i % 65536}. Readers need the frame at the size it was
 * written (not scaled).
 */
public final class FrameStamp {

    /** Index bits in a stamp; frame indices wrap at {@code 1 << BITS}. */
    public static final int BITS = 16;

    private static final int COLUMNS = 8;
    private static final int ROWS = 4;
    /** Smallest cell: one 8x8 transform block, so even a coarse quantiser keeps each cell's mean. */
    private static final int MIN_CELL = 8;
    /** Cells grow with the picture (a 40th of its smaller side, in steps of 8) to stay clear of a scaled-up blur. */
    private static final int CELLS_PER_SIDE = 40;
    /** Least luma difference (0..255) between a cell and its inverse for the bit to count as read. */
    private static final int MIN_CONTRAST = 48;

    /** Byte order of packed 3-byte pixels for {@link #read(ByteBuffer, int, int, Packing)}. */
    public enum Packing {
        /** Red, green, blue (FFmpeg {@code AV_PIX_FMT_RGB24}). */
        RGB24,
        /** Blue, green, red (FFmpeg {@code AV_PIX_FMT_BGR24}, OpenCV's default). */
        BGR24
    }

    private FrameStamp() {
    }

    /** Side of one cell in pixels for a {@code width} x {@code height} picture: at least 8, a multiple of 8. */
    public static int cellSize(int width, int height) {
        return Math.max(MIN_CELL, Math.min(width, height) / CELLS_PER_SIDE / MIN_CELL * MIN_CELL);
    }

    /** Width in pixels of the stamp area at the top-left corner; scenes keep their moving content out of it. */
    public static int areaWidth(int width, int height) {
        return COLUMNS * cellSize(width, height);
    }

    /** Height in pixels of the stamp area at the top-left corner. */
    public static int areaHeight(int width, int height) {
        return ROWS * cellSize(width, height);
    }

    /**
     * Reads the index from an 8-bit luma (or grey) plane held in a buffer, starting at its position; the buffer's
     * position and limit are left as they were.
     *
     * @param linesize bytes from one row to the next (at least {@code width})
     * @return the index ({@code 0..65535}), or -1 when no stamp can be read
     * @throws IllegalArgumentException if the buffer is smaller than the plane those dimensions describe
     */
    public static int read(ByteBuffer luma, int width, int height, int linesize) {
        requirePlane(luma.remaining(), width, height, linesize, 1);
        int base = luma.position();
        return decode(width, height, (x, y) -> luma.get(base + y * linesize + x) & 0xFF);
    }

    /**
     * Reads the index from an 8-bit luma (or grey) plane held in an array from index 0.
     *
     * @return the index ({@code 0..65535}), or -1 when no stamp can be read
     * @throws IllegalArgumentException if the array is smaller than the plane those dimensions describe
     */
    public static int read(byte[] luma, int width, int height, int linesize) {
        requirePlane(luma.length, width, height, linesize, 1);
        return decode(width, height, (x, y) -> luma[y * linesize + x] & 0xFF);
    }

    /**
     * Reads the index from packed RGB or BGR pixels (height x width x 3, no row padding) held in a buffer, starting
     * at its position; the buffer's position and limit are left as they were.
     *
     * @return the index ({@code 0..65535}), or -1 when no stamp can be read
     * @throws IllegalArgumentException if the buffer holds fewer than {@code width * height * 3} bytes
     */
    public static int read(ByteBuffer pixels, int width, int height, Packing packing) {
        Objects.requireNonNull(packing, "packing");
        requirePlane(pixels.remaining(), width, height, width * 3, 3);
        int base = pixels.position();
        return decode(width, height, (x, y) -> {
            int i = base + (y * width + x) * 3;
            return grey(pixels.get(i), pixels.get(i + 1), pixels.get(i + 2), packing);
        });
    }

    /**
     * Reads the index from packed RGB or BGR pixels (height x width x 3, no row padding) held in an array.
     *
     * @return the index ({@code 0..65535}), or -1 when no stamp can be read
     * @throws IllegalArgumentException if the array holds fewer than {@code width * height * 3} bytes
     */
    public static int read(byte[] pixels, int width, int height, Packing packing) {
        Objects.requireNonNull(packing, "packing");
        requirePlane(pixels.length, width, height, width * 3, 3);
        return decode(width, height, (x, y) -> {
            int i = (y * width + x) * 3;
            return grey(pixels[i], pixels[i + 1], pixels[i + 2], packing);
        });
    }

    /** Draws the stamp of frame {@code index} (modulo 65536) over the top-left corner of {@code canvas}. */
    static void draw(YuvCanvas canvas, int index) {
        int cell = cellSize(canvas.width(), canvas.height());
        int code = index & 0xFFFF;
        for (int row = 0; row < ROWS; row++) {
            int bits = code >>> (row < 2 ? 8 : 0);
            boolean inverted = row % 2 == 1;
            for (int col = 0; col < COLUMNS; col++) {
                boolean one = ((bits >>> (COLUMNS - 1 - col)) & 1) == 1;
                int luma = one != inverted ? YuvCanvas.WHITE : YuvCanvas.BLACK;
                canvas.fillRect(col * cell, row * cell, cell, cell, luma, YuvCanvas.NEUTRAL, YuvCanvas.NEUTRAL);
            }
        }
    }

    /** Luma of one pixel at (x, y), 0..255. */
    @FunctionalInterface
    private interface Pixels {
        int luma(int x, int y);
    }

    private static int decode(int width, int height, Pixels pixels) {
        int cell = cellSize(width, height);
        if (areaWidth(width, height) > width || areaHeight(width, height) > height) {
            return -1;
        }
        int code = 0;
        for (int pair = 0; pair < 2; pair++) {
            for (int col = 0; col < COLUMNS; col++) {
                int bit = cellMean(pixels, col, 2 * pair, cell);
                int inverse = cellMean(pixels, col, 2 * pair + 1, cell);
                if (Math.abs(bit - inverse) < MIN_CONTRAST) {
                    return -1;
                }
                code = code << 1 | (bit > inverse ? 1 : 0);
            }
        }
        return code;
    }

    /** Mean over the inner half of a cell: its edges carry the ringing and the blur of the neighbours. */
    private static int cellMean(Pixels pixels, int col, int row, int cell) {
        int x0 = col * cell + cell / 4;
        int y0 = row * cell + cell / 4;
        int side = cell / 2;
        int sum = 0;
        for (int y = y0; y < y0 + side; y++) {
            for (int x = x0; x < x0 + side; x++) {
                sum += pixels.luma(x, y);
            }
        }
        return sum / (side * side);
    }

    /** BT.601 luma weights; the stamp is grey, so the order only matters for coloured content around it. */
    private static int grey(byte first, byte second, byte third, Packing packing) {
        int r = (packing == Packing.RGB24 ? first : third) & 0xFF;
        int g = second & 0xFF;
        int b = (packing == Packing.RGB24 ? third : first) & 0xFF;
        return (77 * r + 150 * g + 29 * b + 128) >> 8;
    }

    private static void requirePlane(int available, int width, int height, int linesize, int bytesPerPixel) {
        if (width <= 0 || height <= 0 || linesize < width * bytesPerPixel) {
            throw new IllegalArgumentException("bad geometry " + width + "x" + height + ", linesize " + linesize);
        }
        long needed = (long) linesize * (height - 1) + (long) width * bytesPerPixel;
        if (available < needed) {
            throw new IllegalArgumentException("plane of " + width + "x" + height + " (linesize " + linesize
                    + ") needs " + needed + " bytes, got " + available);
        }
    }
}
