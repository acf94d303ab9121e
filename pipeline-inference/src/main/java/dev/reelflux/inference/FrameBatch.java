package dev.reelflux.inference;

import dev.reelflux.core.Releasable;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Frames ready for the model: a {@link BatchSlab} whose first {@link #size()} slots are filled, and what each slot
 * holds ({@link FrameInfo}, in slot order).
 *
 * <p>The batch owns its slab: {@link #close()} returns the slab to its pool, once (idempotent). Whoever receives a
 * batch passes it on or closes it; the inference stage closes it on its worker thread right after the model ran.
 */
public final class FrameBatch implements Releasable {

    private final BatchSlab slab;
    private final List<FrameInfo> frames;
    private final Releasable memory;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Wraps {@code slab}, whose slots {@code 0..frames.size()-1} hold {@code frames}; the batch now owns the slab. On
     * an exception the caller still owns it.
     */
    public FrameBatch(BatchSlab slab, List<FrameInfo> frames) {
        this(slab, frames, slab);
    }

    /**
     * Wraps {@code slab}, whose slots {@code 0..frames.size()-1} hold {@code frames}, where the slab is shared with
     * other holders (the frames written into its slots): closing the batch closes {@code memory}, its share, and the
     * slab goes back to its pool when the last holder lets go.
     */
    public FrameBatch(BatchSlab slab, List<FrameInfo> frames, Releasable memory) {
        if (frames.isEmpty() || frames.size() > slab.shape().batchSize()) {
            throw new IllegalArgumentException(frames.size() + " frames for a slab of " + slab.shape().batchSize());
        }
        this.slab = slab;
        this.frames = List.copyOf(frames);
        this.memory = memory;
    }

    public BatchSlab slab() {
        return slab;
    }

    /** Filled slots. */
    public int size() {
        return frames.size();
    }

    /** One entry per filled slot, in slot order. */
    public List<FrameInfo> frames() {
        return frames;
    }

    /** Gives up the batch's hold on its slab (which returns to its pool when nothing else holds it). Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            memory.close();
        }
    }

    @Override
    public String toString() {
        return "FrameBatch[frames " + frames.get(0).frameIndex() + ".." + frames.get(size() - 1).frameIndex()
                + ", " + slab + "]";
    }
}
