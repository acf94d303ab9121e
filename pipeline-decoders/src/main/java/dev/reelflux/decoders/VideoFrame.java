package dev.reelflux.decoders;

import dev.reelflux.core.Releasable;

import dev.reelflux.decoders.internal.FrameAccess;
import dev.reelflux.decoders.internal.SharedPicture;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One decoded (and, depending on the {@link FrameFormat}, scaled) picture with its position in the stream.
 *
 * <p>The frame owns its pixels: a {@link FrameAllocator.Region} that it gives back on {@link #close()}. Whoever
 * receives a frame either passes it on or closes it; {@code close()} is idempotent. After {@code close()} the pixel
 * buffer must not be touched.
 */
public final class VideoFrame implements Releasable {

    private final StreamInfo stream;
    private final long index;
    private final long pts;
    private final double time;
    private final boolean keyframe;
    private final FrameFormat format;
    private final Letterbox letterbox;
    private final String pixelFormat;
    private final List<Plane> planes;
    private final FrameAllocator.Region pixels;
    private final int output;
    private final AtomicBoolean closed = new AtomicBoolean();

    static {
        FrameAccess.register(new FrameAccess.Access() {
            @Override
            public VideoFrame create(StreamInfo stream, long index, long pts, double time, boolean keyframe,
                                     FrameFormat format, Letterbox letterbox, String pixelFormat, List<Plane> planes,
                                     FrameAllocator.Region pixels, int output) {
                return new VideoFrame(stream, index, pts, time, keyframe, format, letterbox, pixelFormat, planes,
                        pixels, output);
            }

            @Override
            public FrameAllocator.Region pixels(VideoFrame frame) {
                return frame.pixels;
            }
        });
    }

    /** Made by the decoder ({@link FrameAccess#create}, which documents the parameters). */
    private VideoFrame(StreamInfo stream, long index, long pts, double time, boolean keyframe, FrameFormat format,
                       Letterbox letterbox, String pixelFormat, List<Plane> planes, FrameAllocator.Region pixels,
                       int output) {
        this.stream = stream;
        this.index = index;
        this.pts = pts;
        this.time = time;
        this.keyframe = keyframe;
        this.format = format;
        this.letterbox = letterbox;
        this.pixelFormat = pixelFormat;
        this.planes = List.copyOf(planes);
        this.pixels = pixels;
        this.output = output;
    }

    public StreamInfo stream() {
        return stream;
    }

    /**
     * Number of the frame in display order, from 0: the frame's position among all frames of the stream, selected or
     * not, matching OpenCV's sequential numbering (MP4 edit lists applied as FFmpeg applies them).
     */
    public long index() {
        return index;
    }

    /** Presentation timestamp in units of {@link StreamInfo#timeBaseNum()}/{@link StreamInfo#timeBaseDen()} s. */
    public long pts() {
        return pts;
    }

    /** Presentation time in seconds from the stream's first frame. */
    public double time() {
        return time;
    }

    public boolean keyframe() {
        return keyframe;
    }

    /** The layout of {@link #data()}. */
    public FrameFormat format() {
        return format;
    }

    /** Width of the picture in {@link #data()}. */
    public int width() {
        return format.scaled() ? format.width() : letterbox.sourceWidth();
    }

    /** Height of the picture in {@link #data()}. */
    public int height() {
        return format.scaled() ? format.height() : letterbox.sourceHeight();
    }

    /** Width of the decoded picture. */
    public int sourceWidth() {
        return letterbox.sourceWidth();
    }

    /** Height of the decoded picture. */
    public int sourceHeight() {
        return letterbox.sourceHeight();
    }

    /** FFmpeg name of the decoded pixel format, such as {@code yuv420p}; the layout of {@link #data()} for source. */
    public String pixelFormat() {
        return pixelFormat;
    }

    /** How output pixels map back to source pixels. */
    public Letterbox letterbox() {
        return letterbox;
    }

    /**
     * Where each plane lies in {@link #data()}: one for the 24-bit layouts, R, G, B for planar float, the pixel
     * format's for the source layouts (each at offset 0 of its own buffer for {@link FrameFormat#decoded()}).
     */
    public List<Plane> planes() {
        return planes;
    }

    /**
     * The pixels: a direct buffer in native byte order, position 0, limit the frame's size. Owned by this frame.
     *
     * @throws IllegalStateException for the {@link FrameFormat#decoded()} format, whose planes are separate buffers
     */
    public ByteBuffer data() {
        return pixels.buffer();
    }

    /**
     * Plane {@code index} ({@link #planes()} says how many and their linesizes), as a native-order buffer of its rows,
     * in any format: a view of {@link #data()}, or for {@link FrameFormat#decoded()} FFmpeg's own buffer of the plane.
     * Must not be used after {@link #close()}: for {@link FrameFormat#decoded()} a view kept past it reads memory
     * FFmpeg may already have given to another frame.
     */
    public ByteBuffer plane(int index) {
        if (pixels instanceof SharedPicture shared) {
            return shared.plane(index);
        }
        Plane plane = planes.get(index);
        return pixels.buffer().slice(plane.offset(), plane.byteSize()).order(ByteOrder.nativeOrder());
    }

    /**
     * Which of the decoder's {@linkplain VideoDecoder#optOutputs outputs} this rendition is for: 0 for a decoder with
     * one output.
     */
    public int output() {
        return output;
    }

    /** Gives the pixels back to their allocator, once; later calls do nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pixels.close();
        }
    }

    @Override
    public String toString() {
        return "VideoFrame[index=" + index + ", time=" + time + (keyframe ? ", key" : "") + ", " + format
                + (output == 0 ? "" : ", output " + output) + "]";
    }
}
