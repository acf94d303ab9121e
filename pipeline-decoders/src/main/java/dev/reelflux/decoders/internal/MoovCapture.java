package dev.reelflux.decoders.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Keeps a copy of an MP4's {@code moov} box body as the demuxer reads it, wherever it lies (before the media data or
 * after it, reached by a jump), for what FFmpeg parses from it but does not expose ({@link SampleTable}).
 * A {@code moov} larger than {@link #MAX_BYTES} is not kept.
 */
final class MoovCapture implements BiConsumer<Long, ByteBuffer> {

    static final long MAX_BYTES = 64L << 20;

    private final TopLevelBoxes boxes = new TopLevelBoxes(this::box);
    private long bodyOffset = -1;
    private long bodyLength;
    /**
     * The bytes copied so far, grown as they come (a corrupt header may declare far more than the file holds); null
     * once taken.
     */
    private byte[] body = new byte[0];
    private int filled;

    @Override
    public void accept(Long offset, ByteBuffer bytes) {
        if (body == null) {
            return;
        }
        if (bodyOffset < 0) {
            boxes.accept(offset, bytes);
        }
        if (bodyOffset < 0 || filled == bodyLength) {
            return;
        }
        // Bytes may come again (the reader stepped back and read on): copy only those that continue the copy.
        long next = bodyOffset + filled;
        long end = offset + bytes.remaining();
        if (offset <= next && next < end) {
            int n = (int) Math.min(bodyLength - filled, end - next);
            if (filled + n > body.length) {
                body = Arrays.copyOf(body, (int) Math.min(bodyLength, Math.max(2L * body.length, filled + n)));
            }
            bytes.duplicate().position(bytes.position() + (int) (next - offset)).get(body, filled, n);
            filled += n;
        }
    }

    private boolean box(String type, long offset, long size, int headerSize) {
        if (!type.equals("moov")) {
            return true;
        }
        if (size != 0 && size - headerSize <= MAX_BYTES) {
            bodyOffset = offset + headerSize;
            bodyLength = size - headerSize;
        }
        return false;
    }

    /**
     * The whole {@code moov} body, if every byte of it passed by, else null. Asked once: the copy is forgotten here,
     * and nothing more is kept.
     */
    ByteBuffer take() {
        ByteBuffer taken = body != null && bodyOffset >= 0 && filled == bodyLength ? ByteBuffer.wrap(body) : null;
        body = null;
        return taken;
    }
}
