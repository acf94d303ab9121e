package dev.reelflux.examples;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.reelflux.inference.Detection;
import dev.reelflux.inference.FrameAnalysis;
import dev.reelflux.inference.FrameResult;
import dev.reelflux.inference.Keypoint;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code analyze --output}: one JSON object per line and frame, in frame order: {@code index}, {@code time} (seconds)
 * and {@code models}, an object with one entry per model that ran on the frame ({@code objects}, {@code keypoints}),
 * each with its {@code boxes} ({@code classId}, {@code score}, {@code x1 y1 x2 y2} in source pixels) and the
 * {@code keypoints} of its best box ({@code index}, {@code x}, {@code y}, {@code confidence}).
 */
final class ResultsJsonl {

    private ResultsJsonl() {
    }

    static void write(List<FrameAnalysis> frames, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (FrameAnalysis frame : frames) {
                out.write(line(frame).toString());
                out.newLine();
            }
        }
    }

    static JsonObject line(FrameAnalysis frame) {
        JsonObject json = new JsonObject();
        json.addProperty("index", frame.frameIndex());
        json.addProperty("time", frame.timeSeconds());
        JsonObject models = new JsonObject();
        frame.models().forEach((name, result) -> models.add(name, model(result)));
        json.add("models", models);
        return json;
    }

    private static JsonObject model(FrameResult frame) {
        JsonObject json = new JsonObject();
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
