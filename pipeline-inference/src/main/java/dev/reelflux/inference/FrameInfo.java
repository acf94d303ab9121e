package dev.reelflux.inference;

import dev.reelflux.decoders.Letterbox;

import java.util.Objects;

/**
 * What a batch slot holds: which frame, when, and how its pixels were placed in the model input, so results map back
 * to the source frame.
 *
 * @param frameIndex  index of the frame in its stream (display order)
 * @param timeSeconds presentation time of the frame
 * @param letterbox   where the scaled frame lies in the model input, and the source frame's size
 */
public record FrameInfo(long frameIndex, double timeSeconds, Letterbox letterbox) {

    public FrameInfo {
        Objects.requireNonNull(letterbox, "letterbox");
    }

    /** Width of the decoded frame in pixels. */
    public int sourceWidth() {
        return letterbox.sourceWidth();
    }

    /** Height of the decoded frame in pixels. */
    public int sourceHeight() {
        return letterbox.sourceHeight();
    }

    /** Model x {@code modelX} in source pixels, clamped to {@code [0, sourceWidth]}. */
    public float sourceX(double modelX) {
        return (float) Math.min(Math.max(letterbox.toSourceX(modelX), 0), sourceWidth());
    }

    /** Model y {@code modelY} in source pixels, clamped to {@code [0, sourceHeight]}. */
    public float sourceY(double modelY) {
        return (float) Math.min(Math.max(letterbox.toSourceY(modelY), 0), sourceHeight());
    }
}
