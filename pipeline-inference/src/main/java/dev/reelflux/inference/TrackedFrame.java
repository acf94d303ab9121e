package dev.reelflux.inference;

import java.util.List;

/**
 * A frame's result with its tracked objects.
 *
 * @param objects the detections of {@code frame} that belong to a track, in the order of {@code frame.detections()};
 *                detections the tracker dropped (too low a score, or a low score that extends no track) are left out
 */
public record TrackedFrame(FrameResult frame, List<TrackedObject> objects) {

    public TrackedFrame {
        objects = List.copyOf(objects);
    }
}
