package dev.reelflux.decoders;

import java.util.Objects;
import java.util.function.LongPredicate;

/**
 * One rendition a {@link VideoDecoder} writes the frames it selects in: a {@link FrameFormat}, the
 * {@link FrameAllocator} whose memory receives it, and which of the selected frames it wants. Immutable; every
 * {@code opt*} returns a configured copy.
 *
 * <p>A decoder with several outputs (see {@link VideoDecoder#optOutputs}) decodes each frame once and scales it once
 * per output that wants it, straight into that output's memory (for a multi-model pipeline: one slot of each model's
 * batch slab), with no intermediate copy of the decoded picture.
 */
public final class FrameOutput {

    private final FrameFormat format;
    private final FrameAllocator allocator;
    private final LongPredicate frameFilter;

    private FrameOutput(FrameFormat format, FrameAllocator allocator, LongPredicate frameFilter) {
        this.format = format;
        this.allocator = allocator;
        this.frameFilter = frameFilter;
    }

    /** Every selected frame in {@code format}, in memory from {@link FrameAllocator#pooled()}. */
    public static FrameOutput of(FrameFormat format) {
        return new FrameOutput(Objects.requireNonNull(format, "format"), FrameAllocator.pooled(), null);
    }

    /** Where this output's pixels are written. */
    public FrameOutput optAllocator(FrameAllocator allocator) {
        return new FrameOutput(format, Objects.requireNonNull(allocator, "allocator"), frameFilter);
    }

    /**
     * Only the selected frames whose index passes {@code filter} go to this output; {@code null} (the default) keeps
     * every selected frame. The same rules as {@link VideoDecoder#optFrameFilter} apply: a pure function of the index,
     * asked from the decode thread.
     */
    public FrameOutput optFrameFilter(LongPredicate filter) {
        return new FrameOutput(format, allocator, filter);
    }

    public FrameFormat format() {
        return format;
    }

    public FrameAllocator allocator() {
        return allocator;
    }

    /** The index filter, or {@code null}. */
    public LongPredicate frameFilter() {
        return frameFilter;
    }

    /** Whether frame {@code index}, once selected by the decoder, goes to this output. */
    public boolean wants(long index) {
        return frameFilter == null || frameFilter.test(index);
    }

    @Override
    public String toString() {
        return "FrameOutput[" + format + (frameFilter == null ? "" : ", filtered") + "]";
    }
}
