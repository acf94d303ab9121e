package dev.reelflux.inference.internal;

import dev.reelflux.inference.YoloLayout;

/**
 * What each channel of a YOLO output means: 4 box channels (cx, cy, w, h), an objectness channel in the V5 layout,
 * one score per class, then 3 channels (x, y, confidence) per keypoint.
 */
public record YoloHead(int classes, boolean objectness, int keypoints) {

    /** The head of an output with {@code channels} channels: the class count is what the other channels leave. */
    public static YoloHead of(int channels, YoloLayout layout, int keypoints) {
        boolean objectness = layout == YoloLayout.V5;
        int classes = channels - 4 - (objectness ? 1 : 0) - 3 * keypoints;
        if (classes <= 0) {
            throw new IllegalArgumentException(channels + " channels leave no class scores for the " + layout
                    + " layout with " + keypoints + " keypoints");
        }
        return new YoloHead(classes, objectness, keypoints);
    }

    /** Channel of the objectness score (V5 only). */
    public int objectnessChannel() {
        return 4;
    }

    public int firstClassChannel() {
        return objectness ? 5 : 4;
    }

    /** Channel of keypoint {@code k}'s x; its y and confidence follow. */
    public int keypointChannel(int k) {
        return firstClassChannel() + classes + 3 * k;
    }
}
