package dev.reelflux.inference;

import dev.reelflux.inference.internal.BoxCandidate;

import java.util.List;
import java.util.Optional;

/**
 * One detected object: a box in source-frame pixels (clamped to the frame) and, for pose models, its keypoints.
 *
 * @param classId   index of the class in the model's class list
 * @param score     the model's confidence, in [0, 1] for sigmoid heads
 * @param keypoints the keypoints at or above the keypoint threshold, by index; absent ones are left out; empty for a
 *                  plain detector
 */
public record Detection(int classId, float score, float x1, float y1, float x2, float y2, List<Keypoint> keypoints) {

    public Detection {
        keypoints = List.copyOf(keypoints);
    }

    /** A detection without keypoints. */
    public Detection(int classId, float score, float x1, float y1, float x2, float y2) {
        this(classId, score, x1, y1, x2, y2, List.of());
    }

    public float centerX() {
        return (x1 + x2) / 2;
    }

    public float centerY() {
        return (y1 + y2) / 2;
    }

    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }

    /** Intersection over union of the two boxes; 0 when they do not overlap. */
    public float iou(Detection other) {
        return BoxCandidate.of(this).iou(BoxCandidate.of(other));
    }

    /** Keypoint {@code index}, or empty when the model was not confident enough it is visible. */
    public Optional<Keypoint> keypoint(int index) {
        return keypoints.stream().filter(k -> k.index() == index).findFirst();
    }
}
