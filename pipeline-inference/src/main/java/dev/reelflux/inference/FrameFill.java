package dev.reelflux.inference;

import dev.reelflux.core.internal.Values;
import dev.reelflux.inference.internal.Interpolation;
import reactor.core.publisher.Flux;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Every frame of a clip answered, from the frames a model ran on: where frames were left out (a stride, a thinned
 * selection, a cut at a deadline), each gets a result from its inferred neighbours. Plug it in after tracking:
 * {@code tracked.transform(FrameFill.create().optClip(stream.frameCount(), stream.fps()))}. Immutable; every
 * {@code opt*} returns a configured copy.
 *
 * <p>A track seen on the inferred frames on both sides of a filled frame gets its box (and its detection's keypoints)
 * interpolated linearly by frame index; a track seen on one side only (it ended or began in between) is left out, so
 * nothing is invented. The frame's keypoints (the best detection's, as a pose model's) are interpolated one by one,
 * each between the nearest inferred frames that have it. Frames before the first inferred frame have nothing; frames
 * after the last have nothing either, unless {@link #optHoldLast} holds its result. The score of an interpolated
 * detection is the lower of its two ends'.
 *
 * <ul>
 *   <li><b>Emits</b> one {@link FilledFrame} per frame index from 0 to the clip's last frame
 *       ({@link #optClip}, else the last inferred frame), in order, once upstream completed: filling needs both sides
 *       of every gap.</li>
 *   <li><b>Backpressures</b>: upstream is requested without bound (its values are small, and kept until it completes);
 *       the frames are emitted as downstream asks.</li>
 *   <li><b>Completes</b> after the last frame; <b>errors</b> with upstream's error, without frames (a clip that fails
 *       has its inferred frames in its error path, see {@link VideoAnalysis#analyze}), or an
 *       {@link IllegalArgumentException} when frame indexes do not rise.</li>
 *   <li><b>Cancels</b> upstream; it holds no resources.</li>
 * </ul>
 */
public final class FrameFill implements Function<Flux<TrackedFrame>, Flux<FilledFrame>> {

    private final Settings settings;

    private FrameFill(Settings settings) {
        this.settings = settings;
    }

    /** Fills the gaps between inferred frames; the answer ends at the last inferred frame. */
    public static FrameFill create() {
        return new FrameFill(new Settings());
    }

    /**
     * The clip: {@code frameCount} frames (-1: unknown, the answer ends at the last inferred frame) at {@code fps}
     * frames a second (0: unknown, frames outside the inferred ones then get the time of their nearest inferred
     * neighbour), as {@link dev.reelflux.decoders.StreamInfo} gives them.
     */
    public FrameFill optClip(long frameCount, double fps) {
        if (frameCount < -1 || !(fps >= 0)) {
            throw new IllegalArgumentException("frame count " + frameCount + ", fps " + fps);
        }
        return with(s -> {
            s.frameCount = frameCount;
            s.fps = fps;
        });
    }

    /** Frames after the last inferred one hold its objects and keypoints (default false: they have none). */
    public FrameFill optHoldLast(boolean holdLast) {
        return with(s -> s.holdLast = holdLast);
    }

    /** Fills {@code inferred} (in rising frame order) without Reactor. */
    public List<FilledFrame> fill(List<TrackedFrame> inferred) {
        return new Interpolation(inferred, settings.frameCount, settings.fps, settings.holdLast).frames();
    }

    @Override
    public Flux<FilledFrame> apply(Flux<TrackedFrame> inferred) {
        return inferred.collectList().flatMapIterable(this::fill);
    }

    @Override
    public String toString() {
        Settings v = settings;
        return "FrameFill[frames " + v.frameCount + ", fps " + v.fps + (v.holdLast ? ", hold last" : "") + "]";
    }

    private FrameFill with(Consumer<Settings> change) {
        return new FrameFill(settings.with(change));
    }

    private static final class Settings extends Values<Settings> {
        private long frameCount = -1;
        private double fps;
        private boolean holdLast;
    }
}
