package dev.reelflux.inference.internal;

import dev.reelflux.inference.Detection;
import dev.reelflux.inference.ObjectTracker;
import dev.reelflux.inference.TrackedObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The tracks of one stream, ByteTrack's two-step association with greedy IoU matching in place of the Hungarian
 * algorithm: high-score detections are matched first against every live track, then the low-score ones against the
 * tracks still unmatched, so that an occluded or blurred object (whose score drops) keeps its track without low-score
 * noise ever starting one. IoU is C-BIoU's, between boxes buffered in proportion to their size, and the high-score
 * step is itself a cascade: a small buffer first, so that close objects pair with their nearest match, then a wide one
 * for what is left, which reaches an object that moved farther than its size before its track has a velocity. Not
 * thread-safe: one table per stream, fed in frame order.
 */
public final class TrackTable {

    private static final Comparator<Pair> BEST_FIRST = Comparator.comparingDouble(Pair::iou).reversed();

    private final ObjectTracker settings;
    private final List<Track> tracks = new ArrayList<>();
    private int nextId = 1;
    private long lastFrame = Long.MIN_VALUE;

    /** The tracks of one stream, matched as {@code settings} say. */
    public TrackTable(ObjectTracker settings) {
        this.settings = settings;
    }

    /**
     * Matches the detections of frame {@code frameIndex} to the tracks and returns those that belong to one, in the
     * order of {@code detections}.
     *
     * @throws IllegalArgumentException when {@code frameIndex} is not above the previous frame's, since velocities
     *                                  are per frame index
     */
    public List<TrackedObject> update(long frameIndex, List<Detection> detections) {
        if (frameIndex <= lastFrame) {
            throw new IllegalArgumentException("frame indexes must increase: " + frameIndex + " after " + lastFrame);
        }
        lastFrame = frameIndex;
        tracks.removeIf(track -> frameIndex - track.lastFrame() > settings.maxLostFrames());

        List<Integer> high = new ArrayList<>();
        List<Integer> low = new ArrayList<>();
        for (int i = 0; i < detections.size(); i++) {
            float score = detections.get(i).score();
            if (score >= settings.highScore()) {
                high.add(i);
            } else if (score >= settings.lowScore()) {
                low.add(i);
            }
        }
        Track[] owners = new Track[detections.size()];
        List<Track> unmatched = associate(tracks, high, detections, frameIndex, settings.buffer(),
                settings.matchIou(), owners);
        unmatched = associate(unmatched, high, detections, frameIndex, settings.wideBuffer(), settings.matchIou(),
                owners);
        associate(unmatched, low, detections, frameIndex, settings.buffer(), settings.lowMatchIou(), owners);

        // Tracks move only after every step: each must predict from the same last frame as the first.
        List<TrackedObject> objects = new ArrayList<>();
        for (int i = 0; i < detections.size(); i++) {
            Detection detection = detections.get(i);
            if (owners[i] != null) {
                owners[i].match(frameIndex, detection);
            } else if (detection.score() >= settings.highScore()) {
                owners[i] = new Track(nextId++, frameIndex, detection);
                tracks.add(owners[i]);
            } else {
                continue;
            }
            objects.add(new TrackedObject(owners[i].id(), detection));
        }
        return objects;
    }

    /**
     * Greedy matching by IoU of the boxes enlarged by {@code buffer}, best pair first, of the detections among
     * {@code indexes} that {@code owners} does not already give a track; fills {@code owners} and returns the
     * candidates left unmatched.
     */
    private static List<Track> associate(List<Track> candidates, List<Integer> indexes, List<Detection> detections,
                                         long frameIndex, float buffer, float minIou, Track[] owners) {
        List<Pair> pairs = new ArrayList<>();
        for (Track track : candidates) {
            BoxCandidate predicted = buffered(track.predictedBox(frameIndex), buffer);
            for (int index : indexes) {
                Detection detection = detections.get(index);
                if (owners[index] != null || detection.classId() != track.classId()) {
                    continue;
                }
                float iou = predicted.iou(buffered(BoxCandidate.of(detection), buffer));
                if (iou >= minIou) {
                    pairs.add(new Pair(track, index, iou));
                }
            }
        }
        // Stable sort: on equal IoU the older track and the earlier (better-scored) detection win.
        pairs.sort(BEST_FIRST);
        Set<Track> matched = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Pair pair : pairs) {
            if (owners[pair.index()] == null && !matched.contains(pair.track())) {
                owners[pair.index()] = pair.track();
                matched.add(pair.track());
            }
        }
        return candidates.stream().filter(track -> !matched.contains(track)).toList();
    }

    /**
     * {@code box} grown by {@code buffer} times its width on the left and on the right and times its height at the
     * top and at the bottom: in proportion to its size, so that a small object gets a reach as small as its boxes.
     */
    private static BoxCandidate buffered(BoxCandidate box, float buffer) {
        float dx = buffer * (box.x2() - box.x1());
        float dy = buffer * (box.y2() - box.y1());
        return new BoxCandidate(box.anchor(), box.classId(), box.score(), box.x1() - dx, box.y1() - dy,
                box.x2() + dx, box.y2() + dy);
    }

    private record Pair(Track track, int index, float iou) {
    }
}
