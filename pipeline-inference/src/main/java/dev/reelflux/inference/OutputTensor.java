package dev.reelflux.inference;

import java.util.Arrays;

/**
 * One model output copied to the Java heap: row-major floats and their shape. A plain value that outlives the
 * inference call (no native memory). The arrays are shared, not copied: treat them as read-only.
 *
 * @param shape extent of each dimension, e.g. {@code [N, 84, 8400]}
 * @param data  the values, {@code product(shape)} of them
 */
public record OutputTensor(int[] shape, float[] data) {

    public OutputTensor {
        long size = 1;
        for (int dim : shape) {
            size *= dim;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + size
                    + " values, got " + data.length);
        }
    }

    public int rank() {
        return shape.length;
    }

    /** Extent of dimension {@code axis}. */
    public int dim(int axis) {
        return shape[axis];
    }

    @Override
    public String toString() {
        return "OutputTensor" + Arrays.toString(shape);
    }
}
