package dev.reelflux.inference;

import dev.reelflux.core.internal.Values;
import dev.reelflux.inference.internal.TrackTable;
import reactor.core.publisher.Flux;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Multi-object tracking in the manner of ByteTrack: gives each detection of a stream's frame results the id of the
 * object it belongs to. An immutable value whose {@code opt*} methods return a modified copy; plug it in with
 * {@code frames.transform(ObjectTracker.create())}.
 *
 * <p>Detections are matched only to tracks of their class, greedily by IoU between the detection and the track's
 * predicted box (its last box moved by its velocity per frame index), both enlarged in proportion to their size.
 * That is C-BIoU's buffered IoU (Yang et al., WACV 2023, made for the irregular motion of sports such as soccer):
 * fast small objects such as the ball move farther than their own size between frames, so their boxes would not
 * overlap before their track has a velocity. Detections at or above {@link #optHighScore} are matched first: with the
 * small {@link #optBuffer}, so that close objects pair with their nearest match, then those left against the tracks
 * left with the wide {@link #optWideBuffer}; they start a track when they match none. Those between
 * {@link #optLowScore} and the high score are then matched, with the small buffer, against the tracks still unmatched
 * and only ever extend one, so an object whose score drops for a while (occlusion, motion blur) keeps its id while
 * low-score noise never gets one. A track unmatched for more than {@link #optMaxLostFrames} frame indexes is dropped;
 * the object gets a new id when it comes back.
 *
 * <ul>
 *   <li><b>Emits</b> one {@link TrackedFrame} per frame result, in order, on the thread that delivered the frame
 *       result; each subscription tracks on its own, its ids starting at 1.</li>
 *   <li><b>Backpressures</b> when downstream does: it is a map, requesting from upstream exactly what downstream
 *       requests.</li>
 *   <li><b>Completes</b> when upstream completes.</li>
 *   <li><b>Errors</b> with upstream's error, or an {@link IllegalArgumentException} when a frame index is not above
 *       the previous one's.</li>
 *   <li><b>Cancels</b> upstream; it holds no resources (frame results and tracked frames are plain values that the
 *       subscriber owns).</li>
 * </ul>
 */
public final class ObjectTracker implements Function<Flux<FrameResult>, Flux<TrackedFrame>> {

    private final Settings settings;

    private ObjectTracker(Settings settings) {
        this.settings = settings;
    }

    /**
     * ByteTrack's defaults: high score 0.5, low score 0.1, IoU 0.3 for the first association and 0.5 for the second,
     * tracks kept 30 frame indexes after their last match; C-BIoU's buffers 0.3 and 1.0.
     */
    public static ObjectTracker create() {
        return new ObjectTracker(new Settings());
    }

    /** Detections scored at or above this start tracks and are matched first (default 0.5). */
    public ObjectTracker optHighScore(float highScore) {
        return with(s -> s.highScore = unit("highScore", highScore));
    }

    /**
     * Detections scored below this are dropped; those between it and the high score only extend tracks the high ones
     * left unmatched (default 0.1). It must not exceed the high score when the tracker is applied.
     */
    public ObjectTracker optLowScore(float lowScore) {
        return with(s -> s.lowScore = unit("lowScore", lowScore));
    }

    /**
     * A high-score detection matches a track when the IoU of its buffered box with the buffered predicted box is at
     * least this (default 0.3), with either buffer.
     */
    public ObjectTracker optMatchIou(float matchIou) {
        return with(s -> s.matchIou = unit("matchIou", matchIou));
    }

    /**
     * A low-score detection matches a track when the IoU of its buffered box with the buffered predicted box is at
     * least this (default 0.5): a stricter bar, since low scores are where the false positives are.
     */
    public ObjectTracker optLowMatchIou(float lowMatchIou) {
        return with(s -> s.lowMatchIou = unit("lowMatchIou", lowMatchIou));
    }

    /**
     * How much each box is enlarged for the first association of the high-score detections and for the low-score
     * one, as a fraction of its width on the left and on the right and of its height at the top and at the bottom
     * (default 0.3): 0 is plain IoU.
     */
    public ObjectTracker optBuffer(float buffer) {
        return with(s -> s.buffer = nonNegative("buffer", buffer));
    }

    /**
     * How much each box is enlarged, in the same way, to match the high-score detections and the tracks that the
     * first association left (default 1.0): it reaches objects that moved farther than their size, at the risk of
     * giving a new object a lost one's id. It must not be below the buffer when the tracker is applied.
     */
    public ObjectTracker optWideBuffer(float wideBuffer) {
        return with(s -> s.wideBuffer = nonNegative("wideBuffer", wideBuffer));
    }

    /**
     * A track unmatched for more than this many frame indexes is dropped (default 30). Counted in frame indexes, not
     * frames received: with a stride of 2 each frame counts 2.
     */
    public ObjectTracker optMaxLostFrames(int maxLostFrames) {
        if (maxLostFrames < 0) {
            throw new IllegalArgumentException("maxLostFrames must not be negative: " + maxLostFrames);
        }
        return with(s -> s.maxLostFrames = maxLostFrames);
    }

    /**
     * @throws IllegalArgumentException when the low score is above the high score or the wide buffer below the
     *                                  buffer
     */
    @Override
    public Flux<TrackedFrame> apply(Flux<FrameResult> frames) {
        // Checked here rather than in the opt* methods, which would otherwise depend on the order they are called in.
        if (settings.lowScore > settings.highScore) {
            throw new IllegalArgumentException("lowScore " + settings.lowScore + " must not exceed highScore "
                    + settings.highScore);
        }
        if (settings.wideBuffer < settings.buffer) {
            throw new IllegalArgumentException("wideBuffer " + settings.wideBuffer + " must not be below buffer "
                    + settings.buffer);
        }
        return Flux.defer(() -> {
            TrackTable table = new TrackTable(this);
            return frames.map(frame -> new TrackedFrame(frame, table.update(frame.frameIndex(), frame.detections())));
        });
    }

    public float highScore() {
        return settings.highScore;
    }

    public float lowScore() {
        return settings.lowScore;
    }

    public float matchIou() {
        return settings.matchIou;
    }

    public float lowMatchIou() {
        return settings.lowMatchIou;
    }

    public float buffer() {
        return settings.buffer;
    }

    public float wideBuffer() {
        return settings.wideBuffer;
    }

    public int maxLostFrames() {
        return settings.maxLostFrames;
    }

    @Override
    public String toString() {
        Settings v = settings;
        return "ObjectTracker[score>=" + v.highScore + "/" + v.lowScore + ", iou>=" + v.matchIou + "/" + v.lowMatchIou
                + ", buffer=" + v.buffer + "/" + v.wideBuffer + ", maxLost=" + v.maxLostFrames + "]";
    }

    private static float unit(String name, float value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must lie in [0, 1]: " + value);
        }
        return value;
    }

    private static float nonNegative(String name, float value) {
        if (!(value >= 0 && value < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(name + " must be finite and not negative: " + value);
        }
        return value;
    }

    private ObjectTracker with(Consumer<Settings> change) {
        return new ObjectTracker(settings.with(change));
    }

    private static final class Settings extends Values<Settings> {
        private float highScore = 0.5f;
        private float lowScore = 0.1f;
        private float matchIou = 0.3f;
        private float lowMatchIou = 0.5f;
        private float buffer = 0.3f;
        private float wideBuffer = 1.0f;
        private int maxLostFrames = 30;
    }
}
