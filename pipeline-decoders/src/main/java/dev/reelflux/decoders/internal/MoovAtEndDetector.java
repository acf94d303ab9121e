package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.SeekNotSupportedException;

import java.nio.ByteBuffer;
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

    private final TopLevelBoxes boxes = new TopLevelBoxes(this::judge);
    private boolean first = true;

    /** Looks at the chunk's bytes at {@code offset}; chunks must come in order without gaps. */
    @Override
    public void accept(Long offset, ByteBuffer bytes) {
        boxes.accept(offset, bytes);
    }

    private boolean judge(String type, long offset, long size, int headerSize) {
        if (first && !type.equals("ftyp")) {
            return false;
        }
        first = false;
        return switch (type) {
            case "moov" -> false;
            case "mdat" -> throw new SeekNotSupportedException("avio", "this MP4 stores its moov index after the media"
                    + " data (moov at the end), so it cannot be played without a jump to the end of the file and"
                    + " back, and the source does not serve byte ranges; re-encode it with -movflags +faststart or"
                    + " serve it with range support", 0, null, null);
            default -> true;
        };
    }
}
