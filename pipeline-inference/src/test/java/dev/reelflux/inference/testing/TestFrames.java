package dev.reelflux.inference.testing;

import java.nio.FloatBuffer;

/**
 * Draws model-input frames straight into slab slots (planar RGB floats in [0, 1]): a green pitch with a white ball,
 * what the synthetic test video shows once scaled.
 */
public final class TestFrames {

    private static final float[] PITCH = {0.15f, 0.55f, 0.2f};

    private TestFrames() {
    }

    /** Fills {@code slot} with pitch green. */
    public static void drawPitch(FloatBuffer slot, int height, int width) {
        int plane = height * width;
        for (int c = 0; c < PITCH.length; c++) {
            for (int i = 0; i < plane; i++) {
                slot.put(c * plane + i, PITCH[c]);
            }
        }
    }

    /**
     * Draws a pitch with a white disc of {@code radius} pixels centred at ({@code cx}, {@code cy}), model pixels,
     * where pixel (col, row) is covered when its centre (col + 0.5, row + 0.5) lies inside the disc.
     */
    public static void drawBall(FloatBuffer slot, int height, int width, double cx, double cy, double radius) {
        drawPitch(slot, height, width);
        int plane = height * width;
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                double dx = col + 0.5 - cx;
                double dy = row + 0.5 - cy;
                if (dx * dx + dy * dy <= radius * radius) {
                    for (int c = 0; c < PITCH.length; c++) {
                        slot.put(c * plane + row * width + col, 1f);
                    }
                }
            }
        }
    }
}
