package dev.reelflux.inference;

/**
 * The geometry of a {@link BatchSlab}: {@code batchSize} slots of {@code 3 x height x width} floats each, planar RGB
 * (CHW), the input layout of a YOLO-style model.
 *
 * @param batchSize slots per slab
 * @param width     columns per plane, the model's input width
 * @param height    rows per plane, the model's input height
 */
public record SlabShape(int batchSize, int width, int height) {

    /** Colour planes per slot (R, G, B). */
    public static final int CHANNELS = 3;

    public SlabShape {
        if (batchSize <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("batchSize, width and height must be positive: " + this);
        }
        if ((long) batchSize * CHANNELS * height * width * Float.BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a slab must fit one ByteBuffer (2 GiB): " + this);
        }
    }

    /** Floats in one colour plane of one slot. */
    public int planeFloats() {
        return height * width;
    }

    /** Floats in one slot: {@code 3 x height x width}. */
    public int slotFloats() {
        return CHANNELS * planeFloats();
    }

    /** Bytes in one slot. */
    public int slotBytes() {
        return slotFloats() * Float.BYTES;
    }

    /** Bytes in the whole slab. */
    public int slabBytes() {
        return batchSize * slotBytes();
    }
}
