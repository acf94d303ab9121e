package dev.reelflux.decoders.testing;

/**
 * {@link TestVideo.Scene#STAMPED_PATTERN}: a diagonal luma saw-tooth that slides 3 pixels a frame, with chroma bands
 * sliding the other way, under the {@link FrameStamp}. The hard edge of each saw tooth gives motion search something
 * to lock on, so P- and B-frames carry real motion vectors rather than skip blocks.
 */
final class PatternScene {

    private static final int PERIOD = 256;
    private static final int LUMA_SPEED = 3;
    private static final int CHROMA_PERIOD = 128;
    private static final int CHROMA_SPEED = 2;
    private static final int CHROMA_SWING = 60;

    private final byte[] lumaRamp;
    private final byte[] chromaWave;

    /** Precomputes the rows for a {@code width}-pixel picture, so a frame is drawn with bulk row copies. */
    PatternScene(int width) {
        lumaRamp = new byte[width + PERIOD];
        for (int i = 0; i < lumaRamp.length; i++) {
            lumaRamp[i] = (byte) (YuvCanvas.BLACK + (i % PERIOD) * (YuvCanvas.WHITE - YuvCanvas.BLACK) / (PERIOD - 1));
        }
        chromaWave = new byte[(width + 1) / 2 + CHROMA_PERIOD];
        for (int i = 0; i < chromaWave.length; i++) {
            chromaWave[i] = (byte) Math.round(YuvCanvas.NEUTRAL
                    + CHROMA_SWING * Math.sin(2 * Math.PI * (i % CHROMA_PERIOD) / CHROMA_PERIOD));
        }
    }

    /** Draws frame {@code index} (the writer adds the stamp on top). */
    void draw(YuvCanvas canvas, int index) {
        for (int row = 0; row < canvas.height(); row++) {
            canvas.lumaRow(row, lumaRamp, Math.floorMod(row / 2 + LUMA_SPEED * index, PERIOD));
        }
        for (int row = 0; row < (canvas.height() + 1) / 2; row++) {
            canvas.chromaRow(row, chromaWave, Math.floorMod(CHROMA_SPEED * index, CHROMA_PERIOD),
                    chromaWave, Math.floorMod(row - CHROMA_SPEED * index, CHROMA_PERIOD));
        }
    }
}
