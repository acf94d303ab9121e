package dev.reelflux.inference;

/**
 * One keypoint of a pose detection, in source-frame pixels.
 *
 * @param index      which keypoint of the model's K (e.g. a pitch corner)
 * @param x          x in the source frame, clamped to it
 * @param y          y in the source frame, clamped to it
 * @param confidence the model's confidence that the keypoint is visible
 */
public record Keypoint(int index, float x, float y, float confidence) {
}
