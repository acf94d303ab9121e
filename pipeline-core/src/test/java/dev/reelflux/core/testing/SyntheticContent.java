package dev.reelflux.core.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@link Content} whose byte at position {@code p} is byte {@code p % 8} (little-endian) of a 64-bit hash of
 * {@code p / 8} and the seed, so any range is computed directly, a word at a time.
 */
final class SyntheticContent extends Content {

    private final long size;
    private final long seed;

    SyntheticContent(long size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        this.size = size;
        this.seed = seed;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    void readChecked(long offset, ByteBuffer target) {
        // A little-endian view makes putLong lay a word's bytes in position order whatever the caller's byte order.
        ByteBuffer out = target.slice().order(ByteOrder.LITTLE_ENDIAN);
        int length = out.remaining();
        long position = offset;
        int i = 0;
        for (; i < length && (position & 7) != 0; i++, position++) {
            out.put(i, byteAt(position));
        }
        for (; length - i >= Long.BYTES; i += Long.BYTES, position += Long.BYTES) {
            out.putLong(i, word(position >>> 3));
        }
        for (; i < length; i++, position++) {
            out.put(i, byteAt(position));
        }
        target.position(target.limit());
    }

    private byte byteAt(long position) {
        return (byte) (word(position >>> 3) >>> ((position & 7) << 3));
    }

    /**
     * The SplitMix64 finalizer: cheap, and every input bit changes about half the output bits.
     */
    private long word(long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "synthetic(" + size + ", seed " + seed + ")";
    }
}
