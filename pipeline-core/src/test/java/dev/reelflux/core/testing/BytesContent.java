package dev.reelflux.core.testing;

import java.nio.ByteBuffer;

/**
 * {@link Content} held in an array the content owns.
 */
final class BytesContent extends Content {

    private final byte[] bytes;

    BytesContent(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    void readChecked(long offset, ByteBuffer target) {
        target.put(bytes, (int) offset, target.remaining());
    }

    @Override
    public String toString() {
        return "bytes(" + bytes.length + ")";
    }
}
