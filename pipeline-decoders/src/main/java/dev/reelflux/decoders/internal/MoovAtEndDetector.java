package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.SeekNotSupportedException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Spots an MP4 with its {@code moov} index after the media data, on a source that cannot seek, from the first bytes.
 *
 * <p>FFmpeg's MP4 demuxer cannot play such a file from a pipe: it reads (downloads) the whole {@code mdat} to reach
 * {@code moov}, then fails with "partial file" when it tries to go back to the first sample (FACTS 11). Walking the
 * top-level boxes as the bytes pass by shows the problem at the {@code mdat} header, before anything big is read.
 * Only files that start with an {@code ftyp} box are judged; anything else is left to FFmpeg.
 */
final class MoovAtEndDetector implements BiConsumer<Long, ByteBuffer> {

    private static final int HEADER = 8;
    private static final int LARGE_HEADER = 16;

    private final byte[] header = new byte[LARGE_HEADER];
    private long boxOffset;
    private int headerBytes;
    private boolean first = true;
    private boolean settled;

    /** Looks at the chunk's bytes at {@code offset}; chunks must come in order without gaps. */
    @Override
    public void accept(Long offset, ByteBuffer bytes) {
        long end = offset + bytes.remaining();
        while (!settled && boxOffset + headerBytes < end) {
            long next = boxOffset + headerBytes;
            if (next < offset) {
                settled = true;
                return;
            }
            int need = (headerBytes < HEADER ? HEADER : LARGE_HEADER) - headerBytes;
            int available = (int) Math.min(need, end - next);
            bytes.duplicate().position(bytes.position() + (int) (next - offset)).get(header, headerBytes, available);
            headerBytes += available;
            if (headerBytes == HEADER || headerBytes == LARGE_HEADER) {
                judgeBox();
            }
        }
    }

    private void judgeBox() {
        long size = ByteBuffer.wrap(header, 0, 4).getInt() & 0xFFFFFFFFL;
        String type = new String(header, 4, 4, StandardCharsets.ISO_8859_1);
        if (first && !type.equals("ftyp")) {
            settled = true;
            return;
        }
        first = false;
        if (size == 1 && headerBytes < LARGE_HEADER) {
            return;
        }
        if (size == 1) {
            size = ByteBuffer.wrap(header, 8, 8).getLong();
        }
        switch (type) {
            case "moov" -> settled = true;
            case "mdat" -> throw new SeekNotSupportedException("avio", "this MP4 stores its moov index after the media"
                    + " data (moov at the end), so it cannot be played without a jump to the end of the file and"
                    + " back, and the source does not serve byte ranges; re-encode it with -movflags +faststart or"
                    + " serve it with range support", 0, null, null);
            default -> {
                if (size < HEADER) {
                    // 0 means "to the end of the file"; smaller than a header is not a box: FFmpeg will judge.
                    settled = true;
                } else {
                    boxOffset += size;
                    headerBytes = 0;
                }
            }
        }
    }
}
