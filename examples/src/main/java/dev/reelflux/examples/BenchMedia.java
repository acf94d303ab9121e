package dev.reelflux.examples;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real-cost media {@code bench} measures on, when present ({@code ../shared/bench} by default, see its README): a
 * 1080p x264 High clip (CABAC, B-frames, 4 Mb/s, 750 frames) with its index first or last, and YOLOv8n-size detector
 * and pitch keypoint models. The clips the tests generate decode two to three times faster and flatter every decode
 * figure; they stand in only where these are absent.
 */
record BenchMedia(Path dir) {

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
