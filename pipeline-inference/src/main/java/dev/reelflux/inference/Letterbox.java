package dev.reelflux.inference;

/**
 * How a source frame was placed in the model input: scaled by {@code scale} (both axes, aspect kept), then shifted
 * by ({@code padX}, {@code padY}) pixels of padding. Model coordinates map back with {@code (m - pad) / scale}.
 *
 * @param scale model pixels per source pixel
 * @param padX  model pixels of padding left of the image
 * @param padY  model pixels of padding above the image
 */
public record Letterbox(double scale, double padX, double padY) {

    /** The source is the model input: no scaling, no padding. */
    public static final Letterbox NONE = new Letterbox(1, 0, 0);

    public Letterbox {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite: " + scale);
        }
    }

    /**
     * The letterbox YOLO preprocessing uses: the largest scale that fits {@code source} into {@code target}, the
     * scaled size rounded to whole pixels and centred, the odd pixel of padding going right or below. A 1920x1080
     * frame in 640x640 gets scale 1/3, an image of 640x360 and 140 rows of padding above.
     */
    public static Letterbox fit(int sourceWidth, int sourceHeight, int targetWidth, int targetHeight) {
        if (sourceWidth <= 0 || sourceHeight <= 0 || targetWidth <= 0 || targetHeight <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        double scale = Math.min((double) targetWidth / sourceWidth, (double) targetHeight / sourceHeight);
        long scaledWidth = Math.round(sourceWidth * scale);
        long scaledHeight = Math.round(sourceHeight * scale);
        return new Letterbox(scale, (targetWidth - scaledWidth) / 2, (targetHeight - scaledHeight) / 2);
    }

    /** The source x of model x {@code modelX}. */
    public double toSourceX(double modelX) {
        return (modelX - padX) / scale;
    }

    /** The source y of model y {@code modelY}. */
    public double toSourceY(double modelY) {
        return (modelY - padY) / scale;
    }
}
