package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.FrameAllocator;
import dev.reelflux.decoders.Plane;
import dev.reelflux.decoders.UnsupportedMediaException;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;

/**
 * A decoded picture handed on by reference ({@code FrameFormat.decoded()}): a new reference to FFmpeg's own buffers
 * ({@code av_frame_clone}), no copy. Each plane is its own buffer, as FFmpeg's frame pools allocate them. Closing drops
 * the reference, once, from any thread: the buffers go back to the decoder's pool (or are freed once the decoder is
 * gone). Such memory is FFmpeg's, not a direct buffer the garbage collector would free, so {@link #held()} lets tests
 * prove every one was closed.
 */
public final class SharedPicture implements FrameAllocator.Region {

    private static final AtomicInteger HELD = new AtomicInteger();

    private final AVFrame reference;
    private final List<Plane> layout;
    private boolean closed;

    private SharedPicture(AVFrame reference, List<Plane> layout) {
        this.reference = reference;
        this.layout = layout;
    }

    /** Pictures shared and not yet closed, in this process. */
    public static int held() {
        return HELD.get();
    }

    /** A new reference to {@code picture}'s buffers, whose planes lie as {@code layout} says (each at offset 0). */
    static SharedPicture of(AVFrame picture, List<Plane> layout) {
        AVFrame reference = av_frame_clone(picture);
        if (reference == null || reference.isNull()) {
            throw DecodeErrors.outOfMemory("share", "referencing a decoded picture");
        }
        HELD.incrementAndGet();
        return new SharedPicture(reference, layout);
    }

    /** The planes of {@code picture} as FFmpeg laid them out: linesizes with their padding, rows per plane. */
    static List<Plane> layout(AVFrame picture) {
        if (picture.linesize(0) <= 0) {
            throw new UnsupportedMediaException("share", "a bottom-up picture (negative linesize) cannot be handed"
                    + " on by reference: use FrameFormat.source()", 0, null, null);
        }
        AVPixFmtDescriptor descriptor = av_pix_fmt_desc_get(picture.format());
        int chromaRows = -((-picture.height()) >> descriptor.log2_chroma_h());
        List<Plane> layout = new ArrayList<>(4);
        for (int i = 0; i < 4 && picture.data(i) != null && !picture.data(i).isNull() && picture.linesize(i) > 0;
             i++) {
            // As av_image_fill_pointers: planes 1 and 2 are the subsampled chroma, 0 and 3 (alpha) full height.
            layout.add(new Plane(0, picture.linesize(i), i == 1 || i == 2 ? chromaRows : picture.height()));
        }
        return List.copyOf(layout);
    }

    /**
     * Plane {@code index}, a native-order view of its rows. Made when asked for, not with the picture: a frame that is
     * only counted or dropped then costs no buffer objects.
     */
    public synchronized ByteBuffer plane(int index) {
        // Synchronized with close(): the plane is read from the frame's own fields, which close() frees, so a plane
        // asked for while another thread closes the frame must not read them after.
        if (closed) {
            throw new IllegalStateException("the frame was closed");
        }
        // The layout first: it refuses an index past the planes, where the frame's own array would read anything.
        Plane plane = layout.get(index);
        return reference.data(index).capacity(plane.byteSize()).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    /** A shared picture has a buffer per plane, not one: see {@code VideoFrame.plane(int)}. */
    @Override
    public ByteBuffer buffer() {
        throw new IllegalStateException("a frame of the decoded() format has one buffer per plane: use plane(i)");
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            av_frame_free(reference);
            HELD.decrementAndGet();
        }
    }
}
