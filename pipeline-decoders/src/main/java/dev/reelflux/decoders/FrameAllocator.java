package dev.reelflux.decoders;

import dev.reelflux.core.Releasable;
import dev.reelflux.decoders.internal.PooledFrameAllocator;

import java.nio.ByteBuffer;

/**
 * Supplies the memory each emitted frame's pixels are written into, so that the scaler can write straight into memory
 * the next stage already owns (the default pools direct buffers; the inference stage hands out slots of one batch slab
 * of {@code N x 3 x H x W} floats, so frames become a batch without a copy).
 *
 * <p>The decoder calls {@link #allocate} on its decode thread, once per emitted frame, after the frame was selected
 * and downstream asked for it, and writes the pixels before emitting. The returned {@link Region} belongs to the
 * {@link VideoFrame} from then on: closing the frame closes the region (once), and the region then gives its memory
 * back to whoever lent it. If decoding fails between allocation and emission, the decoder closes the region itself.
 *
 * <p>An allocator may block the decode thread to apply backpressure (a slab with no free slot), but should not block
 * for long: cancellation cannot interrupt it.
 */
@FunctionalInterface
public interface FrameAllocator {

    /**
     * Memory for one frame.
     *
     * @param format the layout the frame will be written in
     * @param bytes exact number of bytes the frame needs
     * @return a region whose {@link Region#buffer()} has exactly {@code bytes} remaining
     */
    Region allocate(FrameFormat format, int bytes);

    /** Memory for one frame, given back on {@link #close()}. */
    interface Region extends Releasable {

        /**
         * The memory: a direct buffer in native byte order, position 0, limit the size asked for. The same buffer is
         * returned on every call. Must not be used after {@link #close()}.
         */
        ByteBuffer buffer();
    }

    /**
     * The default: direct buffers recycled by size (a few idle buffers are kept per size), shared by every decoder in
     * the process.
     */
    static FrameAllocator pooled() {
        return PooledFrameAllocator.SHARED;
    }
}
