package dev.reelflux.inference;

/**
 * A detection with the track it belongs to.
 *
 * @param trackId the object's identity across frames: track ids start at 1 per stream and are never reused within a
 *                stream, so a new id means the tracker lost the object or never saw it before
 */
public record TrackedObject(int trackId, Detection detection) {
}
