package dev.reelflux.decoders;

import dev.reelflux.decoders.testing.FrameStamp;

/** Reads the {@link FrameStamp} of a frame as the decoder emits it at source size. */
final class Stamps {

    private Stamps() {
    }

    /** The index stamped on a frame whose plane 0 is 8-bit luma (the source's own YUV layout). */
    static int read(VideoFrame frame) {
        Plane luma = frame.planes().get(0);
        return FrameStamp.read(frame.data().duplicate().position(luma.offset()), frame.width(), frame.height(),
                luma.linesize());
    }
}
