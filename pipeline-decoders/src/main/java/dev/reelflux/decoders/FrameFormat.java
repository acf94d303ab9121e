package dev.reelflux.decoders;

import java.util.Locale;
import java.util.Objects;

/**
 * The pixel layout the decoder writes each emitted frame in. Immutable; {@code opt*} methods return modified copies.
 *
 * <ul>
 *   <li>{@link #source()}: the decoded picture as is, every plane copied tightly (no row padding) into one
 *       buffer; {@link VideoFrame#planes()} gives each plane's offset and linesize and
 *       {@link VideoFrame#pixelFormat()} the FFmpeg pixel format name ({@code yuv420p}, {@code nv12} after a GPU
 *       download, ...).</li>
 *   <li>{@link #decoded()}: the decoded picture itself, shared with the decoder by reference: no copy at all. Each
 *       plane is its own buffer, {@link VideoFrame#plane(int)}, rows {@code linesize} apart (FFmpeg pads them).</li>
 *   <li>{@link #rgb24}, {@link #bgr24}: scaled to width x height, interleaved uint8 (HWC), one plane.</li>
 *   <li>{@link #planarFloat}: scaled to width x height, float32 in [0, 1] in native byte order, three planes R, G,
 *       B one after the other (CHW), ready to be a model input without a copy.</li>
 * </ul>
 * Scaled layouts stretch the picture unless {@link #optLetterbox letterboxed}: then the aspect ratio is kept, the
 * picture is centred and the rest is filled with the {@link #optPadValue pad value}; {@link VideoFrame#letterbox()}
 * records the mapping back to source pixels either way.
 */
public final class FrameFormat {

    /** How the pixels are laid out. */
    public enum Layout {
        /** As decoded: the source pixel format, planes copied tightly. */
        SOURCE(0, 0),
        /** As decoded, not copied: FFmpeg's own buffers, one per plane. */
        DECODED(0, 0),
        /** Interleaved R, G, B bytes. */
        RGB24(1, 1),
        /** Interleaved B, G, R bytes (OpenCV's order). */
        BGR24(1, 1),
        /** Three float32 planes R, G, B with values in [0, 1]. */
        PLANAR_FLOAT(4, 3);

        private final int bytesPerSample;
        private final int planes;

        Layout(int bytesPerSample, int planes) {
            this.bytesPerSample = bytesPerSample;
            this.planes = planes;
        }
    }

    /** Gray 114, the padding YOLO models are trained with. */
    public static final int DEFAULT_PAD_VALUE = 114;

    private static final FrameFormat SOURCE = new FrameFormat(Layout.SOURCE, 0, 0, false, DEFAULT_PAD_VALUE);
    private static final FrameFormat DECODED = new FrameFormat(Layout.DECODED, 0, 0, false, DEFAULT_PAD_VALUE);

    private final Layout layout;
    private final int width;
    private final int height;
    private final boolean letterbox;
    private final int padValue;

    private FrameFormat(Layout layout, int width, int height, boolean letterbox, int padValue) {
        this.layout = layout;
        this.width = width;
        this.height = height;
        this.letterbox = letterbox;
        this.padValue = padValue;
    }

    /** The decoded picture as is. */
    public static FrameFormat source() {
        return SOURCE;
    }

    /**
     * The decoded picture by reference, for stages that only hand frames on or read a plane or two: the frame holds a
     * reference to FFmpeg's buffers (each plane its own, {@link VideoFrame#plane(int)}; {@link VideoFrame#data()} is
     * not available) until it is closed. That memory is FFmpeg's, which the garbage collector never frees: close every
     * frame, and promptly, since the decoder allocates more while frames are held.
     */
    public static FrameFormat decoded() {
        return DECODED;
    }

    /** Scaled to {@code width x height}, interleaved R, G, B bytes. */
    public static FrameFormat rgb24(int width, int height) {
        return scaled(Layout.RGB24, width, height);
    }

    /** Scaled to {@code width x height}, interleaved B, G, R bytes. */
    public static FrameFormat bgr24(int width, int height) {
        return scaled(Layout.BGR24, width, height);
    }

    /** Scaled to {@code width x height}, three float32 planes R, G, B in [0, 1] (CHW). */
    public static FrameFormat planarFloat(int width, int height) {
        return scaled(Layout.PLANAR_FLOAT, width, height);
    }

    private static FrameFormat scaled(Layout layout, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("width and height must be > 0: " + width + "x" + height);
        }
        return new FrameFormat(layout, width, height, false, DEFAULT_PAD_VALUE);
    }

    /**
     * A copy that keeps the source aspect ratio (true) or stretches to fill the frame (false, the default).
     *
     * @throws IllegalStateException on {@link #source()} and {@link #decoded()}, which are never scaled
     */
    public FrameFormat optLetterbox(boolean letterbox) {
        requireScaled();
        return new FrameFormat(layout, width, height, letterbox, padValue);
    }

    /**
     * A copy padding letterboxed frames with {@code value} (0 to 255 in every channel; {@code value / 255f} in planar
     * float). Default {@value #DEFAULT_PAD_VALUE}.
     */
    public FrameFormat optPadValue(int value) {
        requireScaled();
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("pad value must be 0..255: " + value);
        }
        return new FrameFormat(layout, width, height, letterbox, value);
    }

    private void requireScaled() {
        if (!scaled()) {
            throw new IllegalStateException("the " + this + " format is never scaled");
        }
    }

    /** Whether frames are scaled to this format's size (false for the source and decoded layouts). */
    public boolean scaled() {
        return layout != Layout.SOURCE && layout != Layout.DECODED;
    }

    public Layout layout() {
        return layout;
    }

    /** Output width, or 0 when not {@linkplain #scaled() scaled} (the decoded width). */
    public int width() {
        return width;
    }

    /** Output height, or 0 when not {@linkplain #scaled() scaled} (the decoded height). */
    public int height() {
        return height;
    }

    public boolean letterbox() {
        return letterbox;
    }

    public int padValue() {
        return padValue;
    }

    /** Bytes per sample of a scaled layout: 1 for the 24-bit layouts, 4 for planar float; 0 for source. */
    public int bytesPerSample() {
        return layout.bytesPerSample;
    }

    /** Number of planes of a scaled layout; 0 for source (it depends on the decoded pixel format). */
    public int planeCount() {
        return layout.planes;
    }

    /** Bytes of one frame in a scaled layout; 0 for source (it depends on the decoded picture). */
    public int byteSize() {
        return width * height * 3 * layout.bytesPerSample;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameFormat f && f.layout == layout && f.width == width && f.height == height
                && f.letterbox == letterbox && f.padValue == padValue;
    }

    @Override
    public int hashCode() {
        return Objects.hash(layout, width, height, letterbox, padValue);
    }

    @Override
    public String toString() {
        return !scaled() ? layout.name().toLowerCase(Locale.ROOT)
                : layout + " " + width + "x" + height + (letterbox ? " letterbox pad " + padValue : "");
    }
}
