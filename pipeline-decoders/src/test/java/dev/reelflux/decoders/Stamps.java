package dev.reelflux.decoders;

import java.nio.ByteBuffer;

/**
 * The frame-index stamp of {@link Clips}: 16 blocks of 16 x 16 luma pixels along the top-left edge, block {@code i}
 * white when bit {@code i} of the display index is set, black otherwise.
 */
final class Stamps {

    private static final int BLOCK = 16;
    private static final int BITS = 16;

    /** The ffmpeg filter that draws the stamp ({@code N} is the frame number). */
    static final String FILTER = "geq=lum='if(lt(Y," + BLOCK + ")*lt(X," + BLOCK * BITS + "),"
            + "if(bitand(N,pow(2,floor(X/" + BLOCK + "))),235,16),lum(X,Y))':cb='cb(X,Y)':cr='cr(X,Y)'";

    private Stamps() {
    }

    /** The index stamped on a frame output as decoded (8-bit luma in plane 0). */
    static int read(VideoFrame frame) {
        Plane luma = frame.planes().get(0);
        return read((x, y) -> frame.data().get(luma.offset() + y * luma.linesize() + x) & 0xFF);
    }

    /** The index stamped on an unscaled RGB24 or BGR24 frame (any channel: the stamp is grey). */
    static int readInterleaved(ByteBuffer pixels, int width) {
        return read((x, y) -> pixels.get((y * width + x) * 3 + 1) & 0xFF);
    }

    private static int read(Sampler sampler) {
        int index = 0;
        for (int bit = 0; bit < BITS; bit++) {
            if (sampler.at(bit * BLOCK + BLOCK / 2, BLOCK / 2) > 128) {
                index |= 1 << bit;
            }
        }
        return index;
    }

    private interface Sampler {
        int at(int x, int y);
    }
}
