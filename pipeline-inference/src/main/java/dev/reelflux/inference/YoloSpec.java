package dev.reelflux.inference;

import dev.reelflux.core.internal.Values;

import java.util.function.Consumer;

/**
 * How to decode YOLO outputs: an immutable value whose {@code opt*} methods return a modified copy. The number of
 * classes is not configured: it follows from the output's channel count, the layout and the keypoint count.
 */
public final class YoloSpec {

    private final Settings settings;

    private YoloSpec(Settings settings) {
        if (settings.layout == YoloLayout.V5 && settings.keypoints > 0) {
            throw new IllegalArgumentException("keypoints are decoded from the V8 layout only");
        }
        this.settings = settings;
    }

    /**
     * Ultralytics' prediction defaults: {@link YoloLayout#V8}, confidence above 0.25, NMS IoU 0.7, at most 300
     * detections per frame, no keypoints (keypoint threshold 0.5), the model's first output.
     */
    public static YoloSpec create() {
        return new YoloSpec(new Settings());
    }

    /** The output layout (default {@link YoloLayout#V8}); keypoints need V8. */
    public YoloSpec optLayout(YoloLayout layout) {
        return with(s -> s.layout = layout);
    }

    /** Boxes whose score is not above this are dropped before NMS (default 0.25). */
    public YoloSpec optConfidenceThreshold(float confidenceThreshold) {
        return with(s -> s.confidenceThreshold = confidenceThreshold);
    }

    /**
     * NMS drops a box whose IoU with a better-scored box of the same class is above this (default 0.7); boxes of
     * different classes never suppress each other.
     */
    public YoloSpec optIouThreshold(float iouThreshold) {
        if (iouThreshold < 0 || iouThreshold > 1) {
            throw new IllegalArgumentException("iouThreshold must lie in [0, 1]: " + iouThreshold);
        }
        return with(s -> s.iouThreshold = iouThreshold);
    }

    /** At most this many detections per frame, the best scores (default 300). */
    public YoloSpec optMaxDetections(int maxDetections) {
        if (maxDetections <= 0) {
            throw new IllegalArgumentException("maxDetections must be positive: " + maxDetections);
        }
        return with(s -> s.maxDetections = maxDetections);
    }

    /** Keypoints per detection of a pose model (default 0: a plain detector), e.g. 17 for people, 32 for a pitch. */
    public YoloSpec optKeypoints(int keypoints) {
        if (keypoints < 0) {
            throw new IllegalArgumentException("keypoints must not be negative: " + keypoints);
        }
        return with(s -> s.keypoints = keypoints);
    }

    /** Keypoints whose confidence is below this are reported absent (default 0.5). */
    public YoloSpec optKeypointThreshold(float keypointThreshold) {
        return with(s -> s.keypointThreshold = keypointThreshold);
    }

    /** Which model output holds the detections (default 0). */
    public YoloSpec optOutputIndex(int outputIndex) {
        if (outputIndex < 0) {
            throw new IllegalArgumentException("outputIndex must not be negative: " + outputIndex);
        }
        return with(s -> s.outputIndex = outputIndex);
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
        return settings.layout;
    }

    public float confidenceThreshold() {
        return settings.confidenceThreshold;
    }

    public float iouThreshold() {
        return settings.iouThreshold;
    }

    public int maxDetections() {
        return settings.maxDetections;
    }

    public int keypoints() {
        return settings.keypoints;
    }

    public float keypointThreshold() {
        return settings.keypointThreshold;
    }

    public int outputIndex() {
        return settings.outputIndex;
    }

    @Override
    public String toString() {
        Settings v = settings;
        return "YoloSpec[" + v.layout + ", conf>" + v.confidenceThreshold + ", iou>" + v.iouThreshold + ", max="
                + v.maxDetections + ", keypoints=" + v.keypoints + "]";
    }

    private YoloSpec with(Consumer<Settings> change) {
        return new YoloSpec(settings.with(change));
    }

    private static final class Settings extends Values<Settings> {
        private YoloLayout layout = YoloLayout.V8;
        private float confidenceThreshold = 0.25f;
        private float iouThreshold = 0.7f;
        private int maxDetections = 300;
        private int keypoints;
        private float keypointThreshold = 0.5f;
        private int outputIndex;
    }
}
