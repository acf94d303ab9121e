package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.FrameAllocator;
import dev.reelflux.decoders.FrameFormat;
import dev.reelflux.decoders.Letterbox;
import dev.reelflux.decoders.Plane;
import dev.reelflux.decoders.StreamInfo;
import dev.reelflux.decoders.VideoFrame;

import java.util.List;

/**
 * What the library's own stages do with a {@link VideoFrame} that its users do not: make one (the decoder) and see
 * which allocator region holds its pixels (the batcher, to find a frame's slab slot). Java has no friend packages, so
 * {@code VideoFrame} hands its package-private constructor and region over here when it is loaded, and they stay off
 * its public API.
 */
public final class FrameAccess {

    /** The package-private parts of {@link VideoFrame}. */
    public interface Access {
        /** A frame; see {@link FrameAccess#create}. */
        VideoFrame create(StreamInfo stream, long index, long pts, double time, boolean keyframe, FrameFormat format,
                          Letterbox letterbox, String pixelFormat, List<Plane> planes, FrameAllocator.Region pixels,
                          int output);

        /** The region holding {@code frame}'s pixels. */
        FrameAllocator.Region pixels(VideoFrame frame);
    }

    private static volatile Access access;

    private FrameAccess() {
    }

    /**
     * Called once, by {@link VideoFrame} as it is loaded.
     *
     * @throws IllegalStateException when called again
     */
    public static void register(Access frames) {
        if (access != null) {
            throw new IllegalStateException("VideoFrame's access is registered already");
        }
        access = frames;
    }

    /**
     * A frame that owns {@code pixels} from now on.
     *
     * @param stream      the stream the frame belongs to
     * @param index       display-order number of the frame in the stream, from 0
     * @param pts         presentation timestamp in the stream's time base
     * @param time        presentation time in seconds from the start of the stream
     * @param keyframe    whether the frame is a keyframe
     * @param format      the layout of {@code pixels}
     * @param letterbox   how output pixels map to source pixels
     * @param pixelFormat FFmpeg name of the decoded pixel format
     * @param planes      where each plane lies in {@code pixels}
     * @param pixels      the pixel memory
     * @param output      which of the decoder's outputs this rendition is for
     */
    public static VideoFrame create(StreamInfo stream, long index, long pts, double time, boolean keyframe,
                                    FrameFormat format, Letterbox letterbox, String pixelFormat, List<Plane> planes,
                                    FrameAllocator.Region pixels, int output) {
        return access().create(stream, index, pts, time, keyframe, format, letterbox, pixelFormat, planes, pixels,
                output);
    }

    /** The region holding {@code frame}'s pixels, for stages that need to know where it came from (a batch slab). */
    public static FrameAllocator.Region pixels(VideoFrame frame) {
        return access().pixels(frame);
    }

    private static Access access() {
        if (access == null) {
            // Loading VideoFrame registers its access.
            try {
                Class.forName(VideoFrame.class.getName(), true, VideoFrame.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return access;
    }
}
