package dev.reelflux.examples;

import dev.reelflux.inference.ModelSpec;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real-cost media {@code bench} measures on, when present ({@code ../shared/bench} by default, see its README): a
 * 1080p x264 High clip (CABAC, B-frames, 4 Mb/s, 750 frames) with its index first or last, and YOLOv8n-size detector
 * and pitch keypoint models. The clips the tests generate decode two to three times faster and flatter every decode
 * figure; they stand in only where these are absent.
 */
record BenchMedia(Path dir) {

    /** The models' input size: they were exported at 640x640. */
    static final int INPUT = 640;
    /** Frames per batch the bench runs them with on the CPU. */
    static final int BATCH = 8;

    /** How the bench loads one of the models: on the CPU, at {@link #INPUT}, batches of {@link #BATCH}. */
    static ModelSpec spec(Path model) {
        return ModelSpec.create().setModelPath(model).optDevice("cpu").optInputSize(INPUT, INPUT)
                .optBatchSize(BATCH).optWarmupBatches(1);
    }

    Path clip() {
        return dir.resolve("pitch-1080p25-750f-faststart.mp4");
    }

    Path detector() {
        return dir.resolve("yolov8n-det80-640.torchscript");
    }

    Path pose() {
        return dir.resolve("yolov8n-pose32-640.torchscript");
    }

    boolean hasClip() {
        return Files.isRegularFile(clip());
    }

    boolean hasModels() {
        return hasClip() && Files.isRegularFile(detector()) && Files.isRegularFile(pose());
    }
}
