package dev.reelflux.inference.internal;

import dev.reelflux.inference.Detection;

/**
 * One tracked object: its last matched box and a constant-velocity motion model, the part of ByteTrack's Kalman
 * filter that lets a fast object (moving more than its own size per frame) still overlap its prediction.
 */
final class Track {

    private final int id;
    private Detection last;
    private long lastFrame;
    // Per frame index, not per emitted frame, so that a stride or a gap extrapolates by the frames actually skipped.
    private float vx1;
    private float vy1;
    private float vx2;
    private float vy2;

    Track(int id, long frameIndex, Detection detection) {
        this.id = id;
        this.last = detection;
        this.lastFrame = frameIndex;
    }

    int id() {
        return id;
    }

    int classId() {
        return last.classId();
    }

    long lastFrame() {
        return lastFrame;
    }

    /** Where the object should be at {@code frameIndex}; a BoxCandidate only for its IoU, so anchor and score are 0. */
    BoxCandidate predictedBox(long frameIndex) {
        float steps = frameIndex - lastFrame;
        return new BoxCandidate(0, last.classId(), 0, last.x1() + vx1 * steps, last.y1() + vy1 * steps,
                last.x2() + vx2 * steps, last.y2() + vy2 * steps);
    }

    void match(long frameIndex, Detection detection) {
        float steps = frameIndex - lastFrame;
        vx1 = (detection.x1() - last.x1()) / steps;
        vy1 = (detection.y1() - last.y1()) / steps;
        vx2 = (detection.x2() - last.x2()) / steps;
        vy2 = (detection.y2() - last.y2()) / steps;
        last = detection;
        lastFrame = frameIndex;
    }
}
