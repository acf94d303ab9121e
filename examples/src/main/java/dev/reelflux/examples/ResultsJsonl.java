package dev.reelflux.examples;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.reelflux.inference.Detection;
import dev.reelflux.inference.FrameResult;
import dev.reelflux.inference.Keypoint;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code analyze --output}: one JSON object per line and frame, in frame order: {@code index}, {@code time} (seconds),
 * {@code boxes} ({@code classId}, {@code score}, {@code x1 y1 x2 y2} in source pixels) and {@code keypoints} of the
 * best box ({@code index}, {@code x}, {@code y}, {@code confidence}).
 */
final class ResultsJsonl {

    private ResultsJsonl() {
    }

    static void write(List<FrameResult> frames, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (FrameResult frame : frames) {
                out.write(line(frame).toString());
                out.newLine();
            }
        }
    }

    static JsonObject line(FrameResult frame) {
        JsonObject json = new JsonObject();
        json.addProperty("index", frame.frameIndex());
        json.addProperty("time", frame.timeSeconds());
        JsonArray boxes = new JsonArray();
        for (Detection detection : frame.detections()) {
            JsonObject box = new JsonObject();
            box.addProperty("classId", detection.classId());
            box.addProperty("score", detection.score());
            box.addProperty("x1", detection.x1());
            box.addProperty("y1", detection.y1());
            box.addProperty("x2", detection.x2());
            box.addProperty("y2", detection.y2());
            boxes.add(box);
        }
        json.add("boxes", boxes);
        JsonArray keypoints = new JsonArray();
        for (Keypoint keypoint : frame.keypoints()) {
            JsonObject point = new JsonObject();
            point.addProperty("index", keypoint.index());
            point.addProperty("x", keypoint.x());
            point.addProperty("y", keypoint.y());
            point.addProperty("confidence", keypoint.confidence());
            keypoints.add(point);
        }
        json.add("keypoints", keypoints);
        return json;
    }
}
