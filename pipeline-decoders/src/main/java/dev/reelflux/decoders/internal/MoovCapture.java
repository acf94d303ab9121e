package dev.reelflux.decoders.internal;

import java.nio.ByteBuffer;
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
    private byte[] body;
    private int filled;

    @Override
    public void accept(Long offset, ByteBuffer bytes) {
        if (bodyOffset < 0) {
            boxes.accept(offset, bytes);
        }
        if (body == null || filled == body.length) {
            return;
        }
        // Bytes may come again (the reader stepped back and read on): copy only those that continue the copy.
        long next = bodyOffset + filled;
        long end = offset + bytes.remaining();
        if (offset <= next && next < end) {
            int n = (int) Math.min(body.length - filled, end - next);
            bytes.duplicate().position(bytes.position() + (int) (next - offset)).get(body, filled, n);
            filled += n;
        }
    }

    private boolean box(String type, long offset, long size, int headerSize) {
        if (!type.equals("moov")) {
            return true;
        }
        bodyOffset = offset + headerSize;
        if (size - headerSize <= MAX_BYTES) {
            body = new byte[(int) (size - headerSize)];
        }
        return false;
    }

    /** The whole {@code moov} body, once every byte of it passed by (then forgotten here), else null. */
    ByteBuffer take() {
        if (body == null || filled < body.length) {
            return null;
        }
        ByteBuffer taken = ByteBuffer.wrap(body);
        body = null;
        return taken;
    }
}
