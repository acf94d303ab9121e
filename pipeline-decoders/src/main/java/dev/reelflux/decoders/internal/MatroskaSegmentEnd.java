package dev.reelflux.decoders.internal;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * Reads where a Matroska (or WebM) file says it ends, from its first bytes: the end of the Segment element, whose size
 * follows the EBML header.
 *
 * <p>FFmpeg's Matroska demuxer meets a file cut short with a logged "File ended prematurely" and a plain end of
 * stream, so without this the decoder could not tell a truncated download from a whole file. A Segment of unknown
 * size (live streams) declares no end.
 */
final class MatroskaSegmentEnd implements BiConsumer<Long, ByteBuffer> {

    private static final int EBML_ID = 0x1A45DFA3;
    private static final int SEGMENT_ID = 0x18538067;
    /** Enough for an EBML header with the usual fields and the Segment's ID and size. */
    private static final int PREFIX = 256;

    private final byte[] prefix = new byte[PREFIX];
    private int length;
    private long declaredEnd = -1;

    /** The byte offset just past the Segment, or -1 when not known (not Matroska, unknown size, not read yet). */
    long declaredEnd() {
        if (declaredEnd < 0 && length > 0) {
            parse();
        }
        return declaredEnd;
    }

    @Override
    public void accept(Long offset, ByteBuffer bytes) {
        if (offset != length || length == PREFIX) {
            return;
        }
        int n = Math.min(PREFIX - length, bytes.remaining());
        bytes.duplicate().get(prefix, length, n);
        length += n;
    }

    private void parse() {
        int position = 0;
        if (readId(position) != EBML_ID) {
            return;
        }
        position += 4;
        long headerSize = readSize(position);
        if (headerSize < 0) {
            return;
        }
        position += sizeLength(position) + (int) Math.min(headerSize, PREFIX);
        if (position + 4 > length || readId(position) != SEGMENT_ID) {
            return;
        }
        position += 4;
        long segmentSize = readSize(position);
        if (segmentSize >= 0) {
            declaredEnd = position + sizeLength(position) + segmentSize;
        }
    }

    private int readId(int position) {
        return position + 4 > length ? 0 : ByteBuffer.wrap(prefix, position, 4).getInt();
    }

    private int sizeLength(int position) {
        return Integer.numberOfLeadingZeros(prefix[position] & 0xFF) - 23;
    }

    /** An EBML variable-size integer; -1 when it is cut off, malformed, or the reserved "unknown" value. */
    private long readSize(int position) {
        if (position >= length || prefix[position] == 0) {
            return -1;
        }
        int bytes = sizeLength(position);
        if (position + bytes > length) {
            return -1;
        }
        long value = prefix[position] & (0xFF >> bytes);
        boolean allOnes = value == (0xFF >> bytes);
        for (int i = 1; i < bytes; i++) {
            int b = prefix[position + i] & 0xFF;
            value = (value << 8) | b;
            allOnes &= b == 0xFF;
        }
        return allOnes ? -1 : value;
    }
}
