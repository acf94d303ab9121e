package dev.reelflux.decoders;

/**
 * Where one plane of a frame lies in its pixel buffer.
 *
 * @param offset byte offset of the plane's first row in {@link VideoFrame#data()}
 * @param linesize bytes from the start of one row to the start of the next
 * @param rows number of rows
 */
public record Plane(int offset, int linesize, int rows) {

    /** Bytes the plane occupies. */
    public int byteSize() {
        return linesize * rows;
    }
}
