package dev.reelflux.decoders;

import dev.reelflux.core.internal.Values;

import java.util.Objects;
import java.util.function.Consumer;
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

    private final Settings settings;

    private FrameOutput(Settings settings) {
        this.settings = settings;
    }

    /** Every selected frame in {@code format}, in memory from {@link FrameAllocator#pooled()}. */
    public static FrameOutput of(FrameFormat format) {
        Settings values = new Settings();
        values.format = Objects.requireNonNull(format, "format");
        return new FrameOutput(values);
    }

    /** Where this output's pixels are written. */
    public FrameOutput optAllocator(FrameAllocator allocator) {
        return with(s -> s.allocator = Objects.requireNonNull(allocator, "allocator"));
    }

    /**
     * Only the selected frames whose index passes {@code filter} go to this output; {@code null} (the default) keeps
     * every selected frame. The same rules as {@link VideoDecoder#optFrameFilter} apply: a pure function of the index,
     * asked from the decode thread.
     */
    public FrameOutput optFrameFilter(LongPredicate filter) {
        return with(s -> s.frameFilter = filter);
    }

    public FrameFormat format() {
        return settings.format;
    }

    public FrameAllocator allocator() {
        return settings.allocator;
    }

    /** The index filter, or {@code null}. */
    public LongPredicate frameFilter() {
        return settings.frameFilter;
    }

    /** Whether frame {@code index}, once selected by the decoder, goes to this output. */
    public boolean wants(long index) {
        return settings.frameFilter == null || settings.frameFilter.test(index);
    }

    @Override
    public String toString() {
        return "FrameOutput[" + settings.format + (settings.frameFilter == null ? "" : ", filtered") + "]";
    }

    private FrameOutput with(Consumer<Settings> change) {
        return new FrameOutput(settings.with(change));
    }

    private static final class Settings extends Values<Settings> {
        private FrameFormat format;
        private FrameAllocator allocator = FrameAllocator.pooled();
        private LongPredicate frameFilter;
    }
}
