package dev.reelflux.inference.internal;

import dev.reelflux.core.Releasable;
import dev.reelflux.decoders.FrameAllocator;
import dev.reelflux.inference.BatchSlab;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A slab being filled slot by slot. The slab is shared: every slot lent to a frame holds it, and so does the fill
 * itself until a batch takes that hold (or the stream ends); the slab goes back to its pool when the last hold goes.
 */
final class SlabFill {

    final BatchSlab slab;
    private final AtomicInteger holds = new AtomicInteger(1);
    private final Releasable ownHold = once(this::release);
    private int lent;
    private boolean sealed;

    SlabFill(BatchSlab slab) {
        this.slab = slab;
    }

    /** Whether another slot can be lent. Guarded by the filler's lock, like {@link #lend} and {@link #seal}. */
    boolean hasRoom() {
        return !sealed && lent < slab.shape().batchSize();
    }

    Slot lend() {
        holds.incrementAndGet();
        return new Slot(this, lent++);
    }

    void seal() {
        sealed = true;
    }

    /** The fill's own hold, handed to whoever ends the fill: a batch, or the end of the stream. */
    Releasable ownHold() {
        return ownHold;
    }

    private void release() {
        if (holds.decrementAndGet() == 0) {
            slab.close();
        }
    }

    static Releasable once(Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        };
    }

    /** One slot lent to a frame; closing it lets go of the frame's hold on the slab. */
    static final class Slot implements FrameAllocator.Region {
        final SlabFill fill;
        final int index;
        private final ByteBuffer buffer;
        private final Releasable hold;

        Slot(SlabFill fill, int index) {
            this.fill = fill;
            this.index = index;
            this.buffer = fill.slab.slot(index);
            this.hold = once(fill::release);
        }

        @Override
        public ByteBuffer buffer() {
            return buffer;
        }

        @Override
        public void close() {
            hold.close();
        }
    }
}
