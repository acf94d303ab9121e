package dev.reelflux.decoders;

/**
 * How the pixels of an output frame map back to the pixels of the decoded source frame, so that boxes and keypoints
 * found on the model input can be drawn on the original video.
 *
 * <p>The source picture was scaled by {@code scaleX} and {@code scaleY} to {@code contentWidth x contentHeight} and
 * placed at ({@code padLeft}, {@code padTop}) in the output; the rest of the output is padding. A letterboxed frame
 * has {@code scaleX} and {@code scaleY} equal up to the rounding of the picture to whole pixels; a stretched one has
 * no padding; a frame output as decoded has scale 1 and no padding.
 *
 * @param sourceWidth width of the decoded picture
 * @param sourceHeight height of the decoded picture
 * @param scaleX output pixels per source pixel, horizontally
 * @param scaleY output pixels per source pixel, vertically
 * @param padLeft columns of padding left of the picture
 * @param padTop rows of padding above the picture
 * @param contentWidth width of the scaled picture inside the output
 * @param contentHeight height of the scaled picture inside the output
 */
public record Letterbox(int sourceWidth, int sourceHeight, double scaleX, double scaleY, int padLeft, int padTop,
                        int contentWidth, int contentHeight) {

    /** The mapping of a frame output at its own size. */
    public static Letterbox identity(int width, int height) {
        return new Letterbox(width, height, 1, 1, 0, 0, width, height);
    }

    /**
     * The mapping {@code format} gives a {@code sourceWidth x sourceHeight} picture: stretched to the output size, or,
     * letterboxed, scaled by the smaller of the two ratios (rounded to whole pixels) and centred.
     */
    public static Letterbox fit(FrameFormat format, int sourceWidth, int sourceHeight) {
        int width = format.width();
        int height = format.height();
        if (!format.letterbox()) {
            return new Letterbox(sourceWidth, sourceHeight, width / (double) sourceWidth,
                    height / (double) sourceHeight, 0, 0, width, height);
        }
        double scale = Math.min(width / (double) sourceWidth, height / (double) sourceHeight);
        int contentWidth = (int) Math.max(1, Math.min(width, Math.round(sourceWidth * scale)));
        int contentHeight = (int) Math.max(1, Math.min(height, Math.round(sourceHeight * scale)));
        return new Letterbox(sourceWidth, sourceHeight, contentWidth / (double) sourceWidth,
                contentHeight / (double) sourceHeight, (width - contentWidth) / 2, (height - contentHeight) / 2,
                contentWidth, contentHeight);
    }

    /** Source x of output x (in pixel units; not clamped, so points in the padding map outside the source). */
    public double toSourceX(double x) {
        return (x - padLeft) / scaleX;
    }

    /** Source y of output y (in pixel units; not clamped). */
    public double toSourceY(double y) {
        return (y - padTop) / scaleY;
    }
}
