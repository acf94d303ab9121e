package dev.reelflux.inference;

/**
 * What a batch slot holds: which frame, when, and how its pixels were placed in the model input, so results map back
 * to the source frame.
 *
 * @param frameIndex   index of the frame in its stream (decode order after selection)
 * @param timeSeconds  presentation time of the frame
 * @param sourceWidth  width of the decoded frame in pixels
 * @param sourceHeight height of the decoded frame in pixels
 * @param letterbox    where the scaled frame lies in the model input
 */
public record FrameInfo(long frameIndex, double timeSeconds, int sourceWidth, int sourceHeight, Letterbox letterbox) {

    public FrameInfo {
        if (sourceWidth <= 0 || sourceHeight <= 0) {
            throw new IllegalArgumentException("source size must be positive: " + sourceWidth + "x" + sourceHeight);
        }
        if (letterbox == null) {
            throw new NullPointerException("letterbox");
        }
    }

    /** Model x {@code modelX} in source pixels, clamped to {@code [0, sourceWidth]}. */
    public float sourceX(double modelX) {
        return (float) Math.min(Math.max(letterbox.toSourceX(modelX), 0), sourceWidth);
    }

    /** Model y {@code modelY} in source pixels, clamped to {@code [0, sourceHeight]}. */
    public float sourceY(double modelY) {
        return (float) Math.min(Math.max(letterbox.toSourceY(modelY), 0), sourceHeight);
    }
}
