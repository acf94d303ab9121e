package dev.reelflux.inference;

import java.util.List;

/**
 * One keypoint of a pose detection, in source-frame pixels.
 *
 * @param index      which keypoint of the model's K (e.g. a pitch corner)
 * @param x          x in the source frame, clamped to it
 * @param y          y in the source frame, clamped to it
 * @param confidence the model's confidence that the keypoint is visible
 */
public record Keypoint(int index, float x, float y, float confidence) {

    /**
     * {@code present} (keypoints by index, absent ones left out) as exactly {@code count} points, keypoint {@code i} at
     * position {@code i}, {@code (0, 0)} with confidence 0 where absent; indexes of {@code count} or more are left out.
     */
    public static List<Keypoint> inPlace(List<Keypoint> present, int count) {
        Keypoint[] points = new Keypoint[count];
        for (Keypoint keypoint : present) {
            if (keypoint.index() < count) {
                points[keypoint.index()] = keypoint;
            }
        }
        for (int i = 0; i < count; i++) {
            if (points[i] == null) {
                points[i] = new Keypoint(i, 0, 0, 0);
            }
        }
        return List.of(points);
    }
}
