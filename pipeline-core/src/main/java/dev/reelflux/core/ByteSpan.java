package dev.reelflux.core;

/**
 * A run of bytes of a source: {@code length} bytes from {@code offset}.
 *
 * @param offset first byte, {@code >= 0}
 * @param length bytes, {@code > 0}
 */
public record ByteSpan(long offset, long length) {

    public ByteSpan {
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("offset " + offset + ", length " + length);
        }
    }

    /** The first byte after the span. */
    public long end() {
        return offset + length;
    }

    /** Whether {@code position} lies in the span. */
    public boolean contains(long position) {
        return position >= offset && position < end();
    }
}
