package dev.reelflux.inference.testing;

import dev.reelflux.inference.ModelSpec;
import dev.reelflux.inference.SlabShape;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * TorchScript models written by test code (no Python, no downloads) that really find a white ball on a green field.
 *
 * <p>Both take {@code x: [N, 3, H, W]} floats in {@code [0, 1]} and fail with "input must lie in [0, 1]" for any value
 * above 1, which gives tests a genuine model failure to provoke. Per image, the pixels whose smallest channel exceeds
 * 0.8 form the ball mask; the mask's centroid is the box centre, its extent the box size (pixel-centre convention, so
 * a filled disc of radius r at (cx, cy) yields about (cx, cy, 2r, 2r)), and {@code 1 - exp(-area / 16)} the
 * confidence (0 without a ball). Outputs use the YOLO v8 layout with {@value #ANCHORS} anchors, the ball in anchor 0
 * and the others all zero.
 */
public final class TestModels {

    /** Anchors per image in the outputs: the ball's, then empty ones (score 0). */
    public static final int ANCHORS = 4;

    /**
     * Keypoints of {@link #writeBallPose}: 0 = ball centre, 1 = top of the ball (centre x, upper edge), both with the
     * box confidence; 2 = never seen (confidence 0).
     */
    public static final int POSE_KEYPOINTS = 3;

    /** Checks the input range and lays out pixel-centre coordinates. */
    private static final String HEADER = """
                if bool(torch.gt(torch.max(x), 1.0)):
                  ops.prim.RaiseException("input must lie in [0, 1]", "builtins.ValueError")
                n = x.size(0)
                xs = torch.add(torch.arange(x.size(3), dtype=x.dtype, device=x.device), 0.5)
                ys = torch.add(torch.arange(x.size(2), dtype=x.dtype, device=x.device), 0.5)
            """;

    /** The ball: pixels whose smallest channel exceeds 0.8. */
    private static final String FEATURES = HEADER
            + blob("", "torch.gt(torch.amin(x, [1]), 0.80000000000000004)")
            + "    zero = torch.zeros_like(conf)\n";

    /** The ball as above, and the player: clearly red pixels (R above 0.5, G and B below 0.35). */
    private static final String BALL_AND_PLAYER_FEATURES = FEATURES
            + "    red = torch.mul(torch.gt(torch.select(x, 1, 0), 0.5), torch.lt(torch.select(x, 1, 1), 0.35))\n"
            + blob("p", "torch.mul(red, torch.lt(torch.select(x, 1, 2), 0.35))");

    /**
     * The box of the pixels of {@code mask} (a boolean expression over {@code x}, one value per pixel): centroid
     * {@code <prefix>cx, <prefix>cy}, extent {@code <prefix>x1 .. <prefix>y2}, and {@code <prefix>conf}.
     */
    private static String blob(String prefix, String mask) {
        return """
                    PmaskP = MASK.to(x.dtype)
                    PareaP = torch.sum(PmaskP, [1, 2])
                    PcolsP = torch.sum(PmaskP, [1])
                    ProwsP = torch.sum(PmaskP, [2])
                    PcountP = torch.clamp(PareaP, 1.0)
                    PcxP = torch.div(torch.sum(torch.mul(PcolsP, xs), [1]), PcountP)
                    PcyP = torch.div(torch.sum(torch.mul(ProwsP, ys), [1]), PcountP)
                    PcolOffP = torch.mul(torch.le(PcolsP, 0.0).to(x.dtype), 100000.0)
                    ProwOffP = torch.mul(torch.le(ProwsP, 0.0).to(x.dtype), 100000.0)
                    Px1P = torch.sub(torch.amin(torch.add(xs, PcolOffP), [1]), 0.5)
                    Px2P = torch.add(torch.amax(torch.sub(xs, PcolOffP), [1]), 0.5)
                    Py1P = torch.sub(torch.amin(torch.add(ys, ProwOffP), [1]), 0.5)
                    Py2P = torch.add(torch.amax(torch.sub(ys, ProwOffP), [1]), 0.5)
                    PconfP = torch.rsub(torch.exp(torch.div(PareaP, -16.0)), 1.0)
                """.replace("MASK", mask).replaceAll("P(\\w+)P", prefix + "$1");
    }

    private TestModels() {
    }

    /** Writes the ball detector: output {@code [N, 5, A]} = (cx, cy, w, h, ball score) per anchor. */
    public static Path writeBallDetector(Path file) {
        return write(file, "BallDetector", "[cx, cy, torch.sub(x2, x1), torch.sub(y2, y1), conf]");
    }

    /**
     * The ball detector written into {@code dir}, as a spec for batches of {@code shape} on the CPU with one warm-up
     * batch: what the pipeline tests run.
     */
    public static ModelSpec ballDetectorSpec(Path dir, SlabShape shape) {
        return ModelSpec.create().setModelPath(writeBallDetector(dir.resolve("ball.pt"))).optDevice("cpu")
                .optInputSize(shape.width(), shape.height()).optBatchSize(shape.batchSize()).optWarmupBatches(1);
    }

    /**
     * Writes a detector of two classes: the ball (class 0, anchor 0, as {@link #writeBallDetector} finds it) and the
     * red player of the ball scene (class 1, anchor 1: the box of the clearly red pixels). Output {@code [N, 6, A]}.
     */
    public static Path writeBallAndPlayerDetector(Path file) {
        return write(file, "BallAndPlayer", BALL_AND_PLAYER_FEATURES,
                "[cx, cy, torch.sub(x2, x1), torch.sub(y2, y1), conf, zero]",
                "[pcx, pcy, torch.sub(px2, px1), torch.sub(py2, py1), zero, pconf]");
    }

    /**
     * Writes the ball pose model: output {@code [N, 5 + 3K, A]} with {@code K = }{@value #POSE_KEYPOINTS}, the
     * detector's five channels followed by (x, y, confidence) per keypoint.
     */
    public static Path writeBallPose(Path file) {
        return write(file, "BallPose", "[cx, cy, torch.sub(x2, x1), torch.sub(y2, y1), conf,"
                + " cx, cy, conf, cx, y1, conf, zero, zero, zero]");
    }

    /** Keypoints of {@link #writePitchMarks}, the count of a soccer pitch model. */
    public static final int PITCH_KEYPOINTS = 32;

    /**
     * The marks of the ball scene's pitch ({@code TestVideo.Scene.BALL}): the halfway line is the column band whose
     * light-grey pixels (smallest channel above 0.6) fill more than 0.4 of the input's height, the touchline the row
     * band that fills more than 0.4 of its width, each at the centroid of its band; the picture's edges are where the
     * grass (non-grey pixels) begins, so letterbox padding is not taken for picture.
     */
    private static final String PITCH_FEATURES = HEADER + """
                mask = torch.gt(torch.amin(x, [1]), 0.59999999999999998).to(x.dtype)
                tallest = torch.mul(torch.sum(torch.ones_like(ys)), 0.40000000000000002)
                widest = torch.mul(torch.sum(torch.ones_like(xs)), 0.40000000000000002)
                cols = torch.relu(torch.sub(torch.sum(mask, [1]), tallest))
                rows = torch.relu(torch.sub(torch.sum(mask, [2]), widest))
                colWeight = torch.sum(cols, [1])
                rowWeight = torch.sum(rows, [1])
                halfway = torch.div(torch.sum(torch.mul(cols, xs), [1]), torch.clamp(colWeight, 0.000001))
                touch = torch.div(torch.sum(torch.mul(rows, ys), [1]), torch.clamp(rowWeight, 0.000001))
                conf = torch.mul(torch.gt(colWeight, 0.0), torch.gt(rowWeight, 0.0)).to(x.dtype)
                grass = torch.gt(torch.sub(torch.amax(x, [1]), torch.amin(x, [1])), 0.10000000000000001).to(x.dtype)
                grassCols = torch.sum(grass, [1])
                grassRows = torch.sum(grass, [2])
                noGrassCol = torch.mul(torch.le(grassCols, 0.0).to(x.dtype), 100000.0)
                noGrassRow = torch.mul(torch.le(grassRows, 0.0).to(x.dtype), 100000.0)
                left = torch.sub(torch.amin(torch.add(xs, noGrassCol), [1]), 0.5)
                top = torch.sub(torch.amin(torch.add(ys, noGrassRow), [1]), 0.5)
                ten = torch.mul(torch.ones_like(conf), 10.0)
                zero = torch.zeros_like(conf)
            """;

    /**
     * Writes the pitch keypoint model: a one-class pose head in the V8 layout, output {@code [N, 5 + 3K, A]} with
     * {@code K = }{@value #PITCH_KEYPOINTS}. Keypoint 0 is where the halfway line crosses the touchline, 1 the
     * touchline's left end, 2 the halfway line's top end, all with confidence 1 when both lines are found; the others
     * are never seen (confidence 0). The box is 10 pixels square around the crossing.
     */
    public static Path writePitchMarks(Path file) {
        String unseen = ", zero, zero, zero".repeat(PITCH_KEYPOINTS - 3);
        return write(file, "PitchMarks", PITCH_FEATURES, "[halfway, touch, ten, ten, conf, halfway, touch, conf,"
                + " left, touch, conf, halfway, top, conf" + unseen + "]");
    }

    private static Path write(Path file, String className, String channels) {
        return write(file, className, FEATURES, channels);
    }

    private static Path write(Path file, String className, String features, String... anchors) {
        StringBuilder found = new StringBuilder();
        for (int a = 0; a < anchors.length; a++) {
            found.append("    anchor").append(a).append(" = torch.unsqueeze(torch.stack(").append(anchors[a])
                    .append(", 1), 2)\n");
        }
        String source = "class " + className + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + "  def forward(self: __torch__." + className + ",\n"
                + "    x: Tensor) -> Tensor:\n"
                + features
                + found
                + "    empty = torch.zeros([n, anchor0.size(1), " + (ANCHORS - anchors.length)
                + "], dtype=x.dtype, device=x.device)\n"
                + "    return torch.cat([" + String.join(", ", java.util.stream.IntStream.range(0, anchors.length)
                        .mapToObj(a -> "anchor" + a).toList()) + ", empty], 2)\n";
        try {
            TorchScriptArchive.write(file, className, source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
