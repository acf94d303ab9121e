package dev.reelflux.inference.internal;

import dev.reelflux.inference.Detection;
import dev.reelflux.inference.FilledFrame;
import dev.reelflux.inference.Keypoint;
import dev.reelflux.inference.TrackedFrame;
import dev.reelflux.inference.TrackedObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The filling of one clip for {@code FrameFill}: see there for the rules. */
public final class Interpolation {

    private final List<TrackedFrame> inferred;
    private final long frameCount;
    private final double fps;
    private final boolean holdLast;
    /** Per keypoint index, the inferred frames that have it: frame index to the keypoint. */
    private final Map<Integer, TreeMap<Long, Keypoint>> keypointTracks = new TreeMap<>();

    public Interpolation(List<TrackedFrame> inferred, long frameCount, double fps, boolean holdLast) {
        this.inferred = List.copyOf(inferred);
        this.frameCount = frameCount;
        this.fps = fps;
        this.holdLast = holdLast;
        long previous = -1;
        for (TrackedFrame frame : this.inferred) {
            long index = frame.frame().frameIndex();
            if (index <= previous) {
                throw new IllegalArgumentException("frame " + index + " after frame " + previous);
            }
            previous = index;
            for (Keypoint keypoint : frame.frame().keypoints()) {
                keypointTracks.computeIfAbsent(keypoint.index(), k -> new TreeMap<>()).put(index, keypoint);
            }
        }
    }

    /** Every frame from 0 to the clip's last (or the last inferred one), in order. */
    public List<FilledFrame> frames() {
        long lastInferred = inferred.isEmpty() ? -1 : index(inferred.size() - 1);
        long end = Math.max(frameCount, lastInferred + 1);
        List<FilledFrame> frames = new ArrayList<>();
        int next = 0;
        for (long i = 0; i < end; i++) {
            if (next < inferred.size() && index(next) == i) {
                TrackedFrame frame = inferred.get(next++);
                frames.add(new FilledFrame(i, frame.frame().timeSeconds(), true, frame.objects(),
                        frame.frame().keypoints()));
            } else {
                frames.add(filled(i, next > 0 ? inferred.get(next - 1) : null,
                        next < inferred.size() ? inferred.get(next) : null));
            }
        }
        return frames;
    }

    private FilledFrame filled(long index, TrackedFrame before, TrackedFrame after) {
        double time = time(index, before, after);
        if (before == null) {
            return new FilledFrame(index, time, false, List.of(), List.of());
        }
        if (after == null) {
            return holdLast ? new FilledFrame(index, time, false, before.objects(), before.frame().keypoints())
                    : new FilledFrame(index, time, false, List.of(), List.of());
        }
        double t = (double) (index - index(before)) / (index(after) - index(before));
        List<TrackedObject> objects = new ArrayList<>();
        for (TrackedObject from : before.objects()) {
            for (TrackedObject to : after.objects()) {
                if (to.trackId() == from.trackId()) {
                    objects.add(new TrackedObject(from.trackId(), between(from.detection(), to.detection(), t)));
                }
            }
        }
        List<Keypoint> keypoints = new ArrayList<>();
        for (TreeMap<Long, Keypoint> track : keypointTracks.values()) {
            Map.Entry<Long, Keypoint> from = track.lowerEntry(index);
            Map.Entry<Long, Keypoint> to = track.higherEntry(index);
            if (from != null && to != null) {
                double s = (double) (index - from.getKey()) / (to.getKey() - from.getKey());
                keypoints.add(between(from.getValue(), to.getValue(), s));
            }
        }
        return new FilledFrame(index, time, false, objects, keypoints);
    }

    /** Between the neighbours' times by index; outside them, a frame period a frame (their time when unknown). */
    private double time(long index, TrackedFrame before, TrackedFrame after) {
        double period = fps > 0 ? 1 / fps : 0;
        if (before != null && after != null) {
            return lerp(before.frame().timeSeconds(), after.frame().timeSeconds(),
                    (double) (index - index(before)) / (index(after) - index(before)));
        }
        if (before != null) {
            return before.frame().timeSeconds() + (index - index(before)) * period;
        }
        if (after != null) {
            return after.frame().timeSeconds() - (index(after) - index) * period;
        }
        return index * period;
    }

    private static Detection between(Detection a, Detection b, double t) {
        List<Keypoint> keypoints = new ArrayList<>();
        for (Keypoint from : a.keypoints()) {
            b.keypoint(from.index()).ifPresent(to -> keypoints.add(between(from, to, t)));
        }
        return new Detection(a.classId(), Math.min(a.score(), b.score()), lerp(a.x1(), b.x1(), t),
                lerp(a.y1(), b.y1(), t), lerp(a.x2(), b.x2(), t), lerp(a.y2(), b.y2(), t), keypoints);
    }

    private static Keypoint between(Keypoint a, Keypoint b, double t) {
        return new Keypoint(a.index(), lerp(a.x(), b.x(), t), lerp(a.y(), b.y(), t),
                Math.min(a.confidence(), b.confidence()));
    }

    private static float lerp(float a, float b, double t) {
        return (float) (a + (b - a) * t);
    }

    private static double lerp(double a, double b, double t) {
        return a + (b - a) * t;
    }

    private long index(int position) {
        return index(inferred.get(position));
    }

    private static long index(TrackedFrame frame) {
        return frame.frame().frameIndex();
    }
}
