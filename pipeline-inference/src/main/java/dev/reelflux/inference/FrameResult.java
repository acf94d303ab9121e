package dev.reelflux.inference;

import java.util.List;

/**
 * The model's findings for one frame, in source-frame pixels.
 *
 * @param frameIndex  the frame's index in its stream
 * @param timeSeconds the frame's presentation time
 * @param detections  what was found, best score first
 */
public record FrameResult(long frameIndex, double timeSeconds, List<Detection> detections) {

    public FrameResult {
        detections = List.copyOf(detections);
    }

    /**
     * The keypoints of the best detection (empty without one): all a frame has for a single-instance pose model such
     * as one that finds the pitch's keypoints.
     */
    public List<Keypoint> keypoints() {
        return detections.isEmpty() ? List.of() : detections.get(0).keypoints();
    }

    /**
     * {@link #keypoints()} as a list of exactly {@code count} points, keypoint {@code i} at position {@code i}: what a
     * consumer that wants every keypoint in place (a pitch model's K) reads. A keypoint the model was not confident
     * about (below {@link YoloSpec#keypointThreshold()}), and every keypoint of a frame without detections, is
     * {@code (0, 0)} with confidence 0; keypoints with an index of {@code count} or more are left out.
     */
    public List<Keypoint> keypoints(int count) {
        return Keypoint.inPlace(keypoints(), count);
    }
}
