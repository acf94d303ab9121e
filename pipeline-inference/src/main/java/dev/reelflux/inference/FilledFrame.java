package dev.reelflux.inference;

import java.util.List;

/**
 * One frame's answer from {@link FrameFill}: what the model found on it, or what its inferred neighbours give.
 *
 * @param frameIndex  the frame's index in the clip
 * @param timeSeconds its presentation time (for a filled frame, from its neighbours' and the frame rate)
 * @param inferred    whether the model ran on this frame; false: every value is filled
 * @param objects     the tracked objects: as inferred, or the tracks seen on the inferred frames on both sides, their
 *                    boxes interpolated
 * @param keypoints   the keypoints of the best detection, by index, absent ones left out: as inferred, or each
 *                    interpolated between the nearest inferred frames that have it
 */
public record FilledFrame(long frameIndex, double timeSeconds, boolean inferred, List<TrackedObject> objects,
                          List<Keypoint> keypoints) {

    public FilledFrame {
        objects = List.copyOf(objects);
        keypoints = List.copyOf(keypoints);
    }

    /** {@link #keypoints()} as exactly {@code count} points in place (see {@link Keypoint#inPlace}). */
    public List<Keypoint> keypoints(int count) {
        return Keypoint.inPlace(keypoints, count);
    }
}
