package dev.reelflux.inference;

import dev.reelflux.core.Releasable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One lease of a pooled direct buffer of {@code N x 3 x H x W} floats in native byte order (see {@link SlabShape}).
 *
 * <p>A writer (the frame scaler) fills slot {@code i} through {@link #slot(int)}; the inference call turns the filled
 * slots into one batch tensor over the same memory without copying ({@link #slots(int)}). Every acquire from a
 * {@link SlabPool} yields a new {@code BatchSlab}, so a stale lease cannot give back memory that another lease now
 * holds. {@link #close()} returns the memory to the pool once; afterwards the views must not be touched. Slot
 * contents are undefined on acquire: a writer fills every float of its slot, letterbox padding included.
 */
public final class BatchSlab implements Releasable {

    private final SlabShape shape;
    private final ByteBuffer memory;
    private final SlabPool pool;
    private final AtomicBoolean closed = new AtomicBoolean();

    BatchSlab(SlabShape shape, ByteBuffer memory, SlabPool pool) {
        this.shape = shape;
        this.memory = memory;
        this.pool = pool;
    }

    public SlabShape shape() {
        return shape;
    }

    /**
     * Slot {@code index} as a native-order view of {@link SlabShape#slotBytes()} bytes (position 0): the R plane, then
     * G, then B, each row-major.
     */
    public ByteBuffer slot(int index) {
        if (index < 0 || index >= shape.batchSize()) {
            throw new IndexOutOfBoundsException("slot " + index + " of " + shape.batchSize());
        }
        return view(index * shape.slotBytes(), shape.slotBytes());
    }

    /** {@link #slot(int)} as floats. */
    public FloatBuffer slotFloats(int index) {
        return slot(index).asFloatBuffer();
    }

    /** The first {@code count} slots as one native-order view: the bytes of a {@code [count, 3, H, W]} tensor. */
    public ByteBuffer slots(int count) {
        if (count <= 0 || count > shape.batchSize()) {
            throw new IndexOutOfBoundsException(count + " slots of " + shape.batchSize());
        }
        return view(0, count * shape.slotBytes());
    }

    private ByteBuffer view(int offset, int length) {
        if (closed.get()) {
            throw new IllegalStateException("slab already returned to its pool");
        }
        // slice() starts a view at its own native address, which is what JNI hands to the engine.
        return memory.slice(offset, length).order(ByteOrder.nativeOrder());
    }

    /** Returns the memory to the pool. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pool.release(memory);
        }
    }

    @Override
    public String toString() {
        return "BatchSlab" + shape + (closed.get() ? "[closed]" : "");
    }
}
