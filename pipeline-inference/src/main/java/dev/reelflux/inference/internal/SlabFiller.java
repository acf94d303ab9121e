package dev.reelflux.inference.internal;

import dev.reelflux.core.Releasable;
import dev.reelflux.decoders.FrameAllocator;
import dev.reelflux.decoders.FrameFormat;
import dev.reelflux.inference.BatchSlab;
import dev.reelflux.inference.SlabPool;
import dev.reelflux.inference.SlabShape;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * The frame allocator of one stream: lends the slots of slabs from a {@link SlabPool} in order, so the decoder's
 * scaler writes each frame straight into batch memory. Taking a new slab blocks the decode thread while the pool is
 * empty, which is the backpressure that bounds a stream to the pool's slabs.
 */
final class SlabFiller implements FrameAllocator {

    private static final Duration POLL = Duration.ofMillis(50);

    private final SlabPool pool;
    private final SlabShape shape;
    private final List<SlabFill> unclaimed = new ArrayList<>();
    private SlabFill open;
    private boolean closed;

    SlabFiller(SlabPool pool) {
        this.pool = pool;
        this.shape = pool.shape();
    }

    @Override
    public Region allocate(FrameFormat format, int bytes) {
        if (format.layout() != FrameFormat.Layout.PLANAR_FLOAT || format.width() != shape.width()
                || format.height() != shape.height() || bytes != shape.slotBytes()) {
            throw new IllegalArgumentException("frames " + format + " do not fit slab slots of " + shape);
        }
        synchronized (this) {
            if (open != null && open.hasRoom()) {
                return open.lend();
            }
        }
        BatchSlab slab = takeSlab();
        synchronized (this) {
            if (closed) {
                slab.close();
                throw new CancellationException("stream ended");
            }
            open = new SlabFill(slab);
            unclaimed.add(open);
            return open.lend();
        }
    }

    /** Waits for a slab, giving up when the stream ends (a blocked decode thread would otherwise never notice). */
    private BatchSlab takeSlab() {
        while (true) {
            synchronized (this) {
                if (closed) {
                    throw new CancellationException("stream ended");
                }
            }
            try {
                return pool.acquire(POLL);
            } catch (TimeoutException e) {
                // poll again: the stream may have ended meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for a slab");
            }
        }
    }

    /** Whether {@code slot} starts a fill no batch has taken yet. */
    synchronized boolean startsUnclaimedFill(SlabFill.Slot slot) {
        return slot.index == 0 && unclaimed.contains(slot.fill);
    }

    /** A batch takes {@code fill}: no more slots are lent from it, and the batch gets the fill's own hold. */
    synchronized Releasable claim(SlabFill fill) {
        fill.seal();
        unclaimed.remove(fill);
        return fill.ownHold();
    }

    /** The stream ended: lend nothing more, and let go of the fills no batch took. */
    void close() {
        List<SlabFill> left;
        synchronized (this) {
            closed = true;
            left = new ArrayList<>(unclaimed);
            unclaimed.clear();
            open = null;
        }
        left.forEach(fill -> fill.ownHold().close());
    }

    /** Copies pixels that are not in the slot the batch needs into the next slot lent. */
    SlabFill.Slot copy(ByteBuffer pixels, FrameFormat format) {
        Region region = allocate(format, pixels.remaining());
        region.buffer().duplicate().put(pixels.duplicate());
        return (SlabFill.Slot) region;
    }
}
