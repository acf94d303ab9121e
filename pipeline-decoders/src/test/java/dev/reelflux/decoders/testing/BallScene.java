package dev.reelflux.decoders.testing;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * {@link TestVideo.Scene#BALL}: a soccer-like picture with known ground truth for detection and tracking tests.
 *
 * <p>A green pitch mown in vertical stripes that slide sideways as under a slow camera pan (so the background gives
 * the encoder motion too), a halfway line and a touchline (light grey, luma 180, so they never outshine the ball),
 * a white ball (luma 235, a filled disc with anti-aliased edge) that follows a smooth Lissajous path, and a red player
 * (a rectangle) that runs to and fro above the ball's path, never touching it or the lines. Everything is defined as
 * fractions of the picture, so {@link #center(int, int, int)}, {@link #radius(int, int)} and
 * {@link #player(int, int, int)} give the truth for any size. The ball stays at least one radius inside the picture
 * and, from the {@linkplain #MIN_HEIGHT minimum height} up, below the {@link FrameStamp} area, so outside that area it
 * is the brightest thing in every frame.
 */
public final class BallScene {

    /** Centre of the ball in source pixels; pixel {@code (i, j)} covers {@code [i, i+1) x [j, j+1)}. */
    public record Point(double x, double y) {

        /** Euclidean distance to {@code other}. */
        public double distanceTo(Point other) {
            return Math.hypot(x - other.x, y - other.y);
        }
    }

    /** A box in source pixels: it covers {@code [x1, x2) x [y1, y2)}. */
    public record Box(double x1, double y1, double x2, double y2) {

        public Point center() {
            return new Point((x1 + x2) / 2, (y1 + y2) / 2);
        }
    }

    /** Least picture height for this scene: below it the ball's path would cross the stamp. */
    public static final int MIN_HEIGHT = 112;

    private static final int GRASS_Y = 112;
    private static final int GRASS_DARK_Y = 100;
    private static final int GRASS_U = 72;
    private static final int GRASS_V = 58;
    private static final int LINE_Y = 180;
    /** Threshold of {@link #locate}: above the lines even after a limited-to-full range expansion (180 to 191). */
    private static final int BRIGHT = 208;
    private static final int STRIPES = 12;
    /** The stripes slide one pixel a frame per 640 pixels of width (3 at 1080p). */
    private static final int PAN_WIDTH_PER_PIXEL = 640;

    /** Path: x and y swing with periods of 96 and 68 frames (a closed loop every 1632 frames, 65 s at 25 fps). */
    private static final double X_MID = 0.5;
    private static final double X_SWING = 0.3;
    private static final double X_PERIOD = 96;
    private static final double Y_MID = 0.56;
    private static final double Y_SWING = 0.2;
    private static final double Y_PERIOD = 68;
    private static final double Y_PHASE = 0.9;
    private static final double TOUCHLINE = 0.9;
    /** The player: red (R 200, G 40, B 40 in BT.601 limited range), a 20th of the height wide and a 10th high. */
    private static final int PLAYER_Y = 92;
    private static final int PLAYER_U = 104;
    private static final int PLAYER_V = 198;
    private static final double PLAYER_X_MID = 0.72;
    private static final double PLAYER_X_SWING = 0.1;
    private static final double PLAYER_X_PERIOD = 80;
    private static final double PLAYER_Y_MID = 0.24;
    private static final double PLAYER_Y_SWING = 0.02;
    private static final double PLAYER_Y_PERIOD = 50;

    private BallScene() {
    }

    /**
     * Where the ball's centre is in frame {@code frameIndex} of a {@code width} x {@code height} clip. Between frames
     * the path is smooth (speed at most about a 50th of the width per frame).
     */
    public static Point center(int frameIndex, int width, int height) {
        double x = width * (X_MID + X_SWING * Math.sin(2 * Math.PI * frameIndex / X_PERIOD));
        double y = height * (Y_MID + Y_SWING * Math.sin(2 * Math.PI * frameIndex / Y_PERIOD + Y_PHASE));
        return new Point(x, y);
    }

    /**
     * The red player's box in frame {@code frameIndex}: whole pixels, on even coordinates so that the chroma of a 4:2:0
     * picture is the player's alone. It stays right of the stamp area, below it, and above the ball's path.
     */
    public static Box player(int frameIndex, int width, int height) {
        int w = Math.max(4, height / 20 & ~1);
        int h = Math.max(8, height / 10 & ~1);
        double cx = width * (PLAYER_X_MID + PLAYER_X_SWING * Math.sin(2 * Math.PI * frameIndex / PLAYER_X_PERIOD));
        double cy = height * (PLAYER_Y_MID + PLAYER_Y_SWING * Math.sin(2 * Math.PI * frameIndex / PLAYER_Y_PERIOD));
        int x1 = (int) Math.round(cx - w / 2.0) & ~1;
        int y1 = (int) Math.round(cy - h / 2.0) & ~1;
        return new Box(x1, y1, x1 + w, y1 + h);
    }

    /** The ball's radius in pixels: a 48th of the picture height, at least 4 (5 at 240 lines, 22.5 at 1080). */
    public static double radius(int width, int height) {
        return Math.max(4.0, height / 48.0);
    }

    /**
     * Measures where the ball is in a decoded luma (or grey) plane, independently of any model: the centroid of the
     * pixels brighter than {@value #BRIGHT} (midway between the lines and the ball), each weighted by how much
     * brighter, outside the stamp area. Reads from the buffer's position and leaves position and limit alone.
     *
     * @param linesize bytes from one row to the next
     * @return the measured centre, or empty when no pixel is bright enough
     */
    public static Optional<Point> locate(ByteBuffer luma, int width, int height, int linesize) {
        int base = luma.position();
        double sum = 0;
        double sx = 0;
        double sy = 0;
        for (int y = FrameStamp.areaHeight(width, height); y < height; y++) {
            for (int x = 0; x < width; x++) {
                int excess = (luma.get(base + y * linesize + x) & 0xFF) - BRIGHT;
                if (excess > 0) {
                    sum += excess;
                    sx += excess * (x + 0.5);
                    sy += excess * (y + 0.5);
                }
            }
        }
        return sum == 0 ? Optional.empty() : Optional.of(new Point(sx / sum, sy / sum));
    }

    /** Draws frame {@code index}: pitch, lines, player and ball (the writer adds the stamp on top). */
    static void draw(YuvCanvas canvas, int index) {
        int w = canvas.width();
        int h = canvas.height();
        int stripe = Math.max(2, w / STRIPES);
        int pan = Math.floorMod(index * Math.max(1, w / PAN_WIDTH_PER_PIXEL), 2 * stripe);
        for (int k = -2; k * stripe - pan < w; k++) {
            int luma = Math.floorMod(k, 2) == 0 ? GRASS_Y : GRASS_DARK_Y;
            canvas.fillRect(k * stripe - pan, 0, stripe, h, luma, GRASS_U, GRASS_V);
        }
        int line = Math.max(2, h / 180 & ~1);
        canvas.fillRect((w / 2 - line / 2) & ~1, 0, line, h, LINE_Y, YuvCanvas.NEUTRAL, YuvCanvas.NEUTRAL);
        canvas.fillRect(0, (int) (h * TOUCHLINE) & ~1, w, line, LINE_Y, YuvCanvas.NEUTRAL, YuvCanvas.NEUTRAL);
        Box player = player(index, w, h);
        canvas.fillRect((int) player.x1(), (int) player.y1(), (int) (player.x2() - player.x1()),
                (int) (player.y2() - player.y1()), PLAYER_Y, PLAYER_U, PLAYER_V);
        Point c = center(index, w, h);
        canvas.blendDisc(c.x(), c.y(), radius(w, h), YuvCanvas.WHITE, YuvCanvas.NEUTRAL, YuvCanvas.NEUTRAL);
    }
}
