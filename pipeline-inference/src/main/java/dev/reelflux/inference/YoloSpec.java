package dev.reelflux.inference;

/**
 * How to decode YOLO outputs: an immutable value whose {@code opt*} methods return a modified copy. The number of
 * classes is not configured: it follows from the output's channel count, the layout and the keypoint count.
 */
public final class YoloSpec {

    private final YoloLayout layout;
    private final float confidenceThreshold;
    private final float iouThreshold;
    private final int maxDetections;
    private final int keypoints;
    private final float keypointThreshold;
    private final int outputIndex;

    private YoloSpec(YoloLayout layout, float confidenceThreshold, float iouThreshold, int maxDetections,
                     int keypoints, float keypointThreshold, int outputIndex) {
        if (layout == YoloLayout.V5 && keypoints > 0) {
            throw new IllegalArgumentException("keypoints are decoded from the V8 layout only");
        }
        this.layout = layout;
        this.confidenceThreshold = confidenceThreshold;
        this.iouThreshold = iouThreshold;
        this.maxDetections = maxDetections;
        this.keypoints = keypoints;
        this.keypointThreshold = keypointThreshold;
        this.outputIndex = outputIndex;
    }

    /**
     * Ultralytics' prediction defaults: {@link YoloLayout#V8}, confidence above 0.25, NMS IoU 0.7, at most 300
     * detections per frame, no keypoints (keypoint threshold 0.5), the model's first output.
     */
    public static YoloSpec create() {
        return new YoloSpec(YoloLayout.V8, 0.25f, 0.7f, 300, 0, 0.5f, 0);
    }

    /** The output layout (default {@link YoloLayout#V8}); keypoints need V8. */
    public YoloSpec optLayout(YoloLayout layout) {
        return new YoloSpec(layout, confidenceThreshold, iouThreshold, maxDetections, keypoints, keypointThreshold,
                outputIndex);
    }

    /** Boxes whose score is not above this are dropped before NMS (default 0.25). */
    public YoloSpec optConfidenceThreshold(float confidenceThreshold) {
        return new YoloSpec(layout, confidenceThreshold, iouThreshold, maxDetections, keypoints, keypointThreshold,
                outputIndex);
    }

    /**
     * NMS drops a box whose IoU with a better-scored box of the same class is above this (default 0.7); boxes of
     * different classes never suppress each other.
     */
    public YoloSpec optIouThreshold(float iouThreshold) {
        if (iouThreshold < 0 || iouThreshold > 1) {
            throw new IllegalArgumentException("iouThreshold must lie in [0, 1]: " + iouThreshold);
        }
        return new YoloSpec(layout, confidenceThreshold, iouThreshold, maxDetections, keypoints, keypointThreshold,
                outputIndex);
    }

    /** At most this many detections per frame, the best scores (default 300). */
    public YoloSpec optMaxDetections(int maxDetections) {
        if (maxDetections <= 0) {
            throw new IllegalArgumentException("maxDetections must be positive: " + maxDetections);
        }
        return new YoloSpec(layout, confidenceThreshold, iouThreshold, maxDetections, keypoints, keypointThreshold,
                outputIndex);
    }

    /** Keypoints per detection of a pose model (default 0: a plain detector), e.g. 17 for people, 32 for a pitch. */
    public YoloSpec optKeypoints(int keypoints) {
        if (keypoints < 0) {
            throw new IllegalArgumentException("keypoints must not be negative: " + keypoints);
        }
        return new YoloSpec(layout, confidenceThreshold, iouThreshold, maxDetections, keypoints, keypointThreshold,
                outputIndex);
    }

    /** Keypoints whose confidence is below this are reported absent (default 0.5). */
    public YoloSpec optKeypointThreshold(float keypointThreshold) {
        return new YoloSpec(layout, confidenceThreshold, iouThreshold, maxDetections, keypoints, keypointThreshold,
                outputIndex);
    }

    /** Which model output holds the detections (default 0). */
    public YoloSpec optOutputIndex(int outputIndex) {
        if (outputIndex < 0) {
            throw new IllegalArgumentException("outputIndex must not be negative: " + outputIndex);
        }
        return new YoloSpec(layout, confidenceThreshold, iouThreshold, maxDetections, keypoints, keypointThreshold,
                outputIndex);
    }

    /**
     * The keypoint count of a one-class pose model in the V8 layout whose output has {@code channels} channels
     * (4 box channels, 1 class score, then x, y and confidence per keypoint: {@code channels = 5 + 3K}), such as a
     * soccer pitch model's 32.
     *
     * @throws IllegalArgumentException when {@code channels} is not of that form
     */
    public static int keypointsOfOneClassPose(int channels) {
        if (channels <= 5 || (channels - 5) % 3 != 0) {
            throw new IllegalArgumentException(channels + " output channels are not a one-class pose head"
                    + " (5 + 3 x keypoints)");
        }
        return (channels - 5) / 3;
    }

    public YoloLayout layout() {
        return layout;
    }

    public float confidenceThreshold() {
        return confidenceThreshold;
    }

    public float iouThreshold() {
        return iouThreshold;
    }

    public int maxDetections() {
        return maxDetections;
    }

    public int keypoints() {
        return keypoints;
    }

    public float keypointThreshold() {
        return keypointThreshold;
    }

    public int outputIndex() {
        return outputIndex;
    }

    @Override
    public String toString() {
        return "YoloSpec[" + layout + ", conf>" + confidenceThreshold + ", iou>" + iouThreshold + ", max="
                + maxDetections + ", keypoints=" + keypoints + "]";
    }
}
