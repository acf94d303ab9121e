package dev.reelflux.decoders.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Walks the top-level boxes of an ISO BMFF (MP4) file as its bytes pass by, and tells a {@link Listener} of each box
 * header. Chunks may come with gaps (the reader jumped): a header is read from the chunks that hold it, and a chunk
 * wholly before or after the next header is ignored. The walk stops when the listener says so, after a box of size 0
 * ("to the end of the file"), or at a size smaller than a header, which is not a box.
 */
final class TopLevelBoxes implements BiConsumer<Long, ByteBuffer> {

    private static final int HEADER = 8;
    private static final int LARGE_HEADER = 16;

    /** What the walk tells. */
    interface Listener {
        /**
         * A box starts at {@code offset}; its body follows the {@code headerSize} bytes of its header. A {@code size} of
         * 0 means it runs to the end of the file.
         *
         * @return whether to walk on to the next box
         */
        boolean box(String type, long offset, long size, int headerSize);
    }

    private final Listener listener;
    private final byte[] header = new byte[LARGE_HEADER];
    private long boxOffset;
    private int headerBytes;
    private boolean stopped;

    TopLevelBoxes(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void accept(Long offset, ByteBuffer bytes) {
        long end = offset + bytes.remaining();
        while (!stopped && boxOffset + headerBytes < end) {
            long next = boxOffset + headerBytes;
            if (next < offset) {
                return;
            }
            int need = (headerBytes < HEADER ? HEADER : LARGE_HEADER) - headerBytes;
            int available = (int) Math.min(need, end - next);
            bytes.duplicate().position(bytes.position() + (int) (next - offset)).get(header, headerBytes, available);
            headerBytes += available;
            if (headerBytes == HEADER || headerBytes == LARGE_HEADER) {
                readHeader();
            }
        }
    }

    private void readHeader() {
        long size = ByteBuffer.wrap(header, 0, 4).getInt() & 0xFFFFFFFFL;
        if (size == 1 && headerBytes < LARGE_HEADER) {
            return;
        }
        if (size == 1) {
            size = ByteBuffer.wrap(header, 8, 8).getLong();
        }
        String type = new String(header, 4, 4, StandardCharsets.ISO_8859_1);
        // Size 0 runs to the end of the file: the box is told of, and nothing follows it.
        if ((size != 0 && size < headerBytes) || !listener.box(type, boxOffset, size, headerBytes) || size == 0) {
            stopped = true;
            return;
        }
        boxOffset += size;
        headerBytes = 0;
    }
}
