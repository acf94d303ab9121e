package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.FrameOutput;
import dev.reelflux.decoders.VideoDecoder;

import java.util.List;
import java.util.function.LongPredicate;

/**
 * Which frames a {@link VideoDecoder} emits. Every rule is a pure function of the frame number (and the keyframe
 * flag), so the same question can be asked of a packet before decoding and of the frame after.
 */
final class FrameSelector {

    private final int stride;
    private final double ticksPerFrame;
    private final boolean keyframesOnly;
    private final LongPredicate filter;
    private final long maxFrames;
    private final List<FrameOutput> outputs;

    /**
     * @param fps the stream's frame rate, 0 when unknown (a target fps then keeps every frame)
     */
    FrameSelector(VideoDecoder spec, double fps) {
        this.stride = spec.stride();
        this.ticksPerFrame = spec.targetFps() > 0 && fps > 0 && spec.targetFps() < fps ? spec.targetFps() / fps : 0;
        this.keyframesOnly = spec.keyframesOnly();
        this.filter = spec.frameFilter();
        this.maxFrames = spec.maxFrames();
        this.outputs = spec.outputs();
    }

    /** Whether a rule other than keyframes-only can leave a frame out (so skipping before decoding can pay). */
    boolean thins() {
        return stride > 1 || ticksPerFrame > 0 || filter != null
                || outputs.stream().allMatch(output -> output.frameFilter() != null);
    }

    /** Whether frame {@code index} passes the stride, target fps and filter, and some output wants it. */
    boolean wants(long index) {
        if (index % stride != 0 || !onTick(index) || (filter != null && !filter.test(index))) {
            return false;
        }
        // An indexed loop, not a stream or an iterator: this runs for every decoded frame, and garbage per frame is
        // what grows a long clip's resident memory past a short one's.
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i).wants(index)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the decoded frame {@code index} is emitted. */
    boolean select(long index, boolean keyframe) {
        return (keyframe || !keyframesOnly) && wants(index);
    }

    /** Whether {@code emitted} frames are all that may be emitted. */
    boolean full(long emitted) {
        return emitted >= maxFrames;
    }

    /** The first frame at or after a tick of the target rate: where floor(index * target / fps) moves on. */
    private boolean onTick(long index) {
        if (ticksPerFrame == 0 || index == 0) {
            return true;
        }
        // The small epsilon keeps 0.2 * 5 == 1 on the right side of the floor.
        return Math.floor(index * ticksPerFrame + 1e-9) != Math.floor((index - 1) * ticksPerFrame + 1e-9);
    }
}
