package dev.reelflux.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.reelflux.inference.FrameBatch;
import dev.reelflux.inference.OutputTensor;
import dev.reelflux.inference.SlabShape;

/** Moves batches into and results out of NDArrays. */
public final class SlabTensors {

    private SlabTensors() {
    }

    /**
     * The batch's filled slots as a {@code [n, 3, H, W]} FLOAT32 array over the slab's own memory: on the CPU the
     * array shares the slab (no copy: {@code create} over a direct native-order ByteBuffer hands its address to
     * {@code torch.from_blob}); on a GPU the engine copies it to the device. The array lives in {@code manager}: close
     * that before the slab goes back to its pool.
     */
    public static NDArray wrap(NDManager manager, FrameBatch batch) {
        SlabShape shape = batch.slab().shape();
        Shape tensorShape = new Shape(batch.size(), SlabShape.CHANNELS, shape.height(), shape.width());
        return manager.create(batch.slab().slots(batch.size()), tensorShape, DataType.FLOAT32);
    }

    /** Copies {@code array} to the heap in one bulk transfer (converted to FLOAT32 first when it is not). */
    public static OutputTensor copyOut(NDArray array) {
        NDArray floats = array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
        long[] dims = floats.getShape().getShape();
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = Math.toIntExact(dims[i]);
        }
        return new OutputTensor(shape, floats.toFloatArray());
    }
}
