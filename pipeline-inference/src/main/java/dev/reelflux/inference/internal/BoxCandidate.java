package dev.reelflux.inference.internal;

import dev.reelflux.inference.Detection;

/** A box above the confidence threshold, in model-input pixels, before NMS; {@code anchor} locates its keypoints. */
public record BoxCandidate(int anchor, int classId, float score, float x1, float y1, float x2, float y2) {

    /** {@code detection}'s box (anchor 0). */
    public static BoxCandidate of(Detection detection) {
        return new BoxCandidate(0, detection.classId(), detection.score(), detection.x1(), detection.y1(),
                detection.x2(), detection.y2());
    }

    /** Intersection over union with {@code other}; 0 when both are empty. */
    public float iou(BoxCandidate other) {
        float width = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        float height = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        if (width <= 0 || height <= 0) {
            return 0;
        }
        float intersection = width * height;
        float union = area() + other.area() - intersection;
        return union <= 0 ? 0 : intersection / union;
    }

    private float area() {
        return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
    }
}
