package dev.reelflux.examples;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.reelflux.core.PipelineReport;
import dev.reelflux.inference.Keypoint;
import dev.reelflux.inference.TrackedFrame;
import dev.reelflux.inference.TrackedObject;

import java.util.List;

/**
 * The response body of {@code POST /soccer/challenge}: {@code challenge_id}, {@code frames} (each with
 * {@code frame_number}, {@code objects} of {@code id}, {@code bbox [x1, y1, x2, y2]} in source pixels and
 * {@code class_id}, and {@code keypoints}: one {@code [x, y]} per model keypoint, {@code [0, 0]} where not detected),
 * {@code processing_time} in seconds, and, beyond the challenge's shape, {@code budget_hit} and, for a failed video,
 * {@code error} ({@code type}, {@code message}).
 */
final class ChallengeResponse {

    private ChallengeResponse() {
    }

    static JsonObject of(String challengeId, List<TrackedFrame> frames, int keypoints, PipelineReport report,
                         double processingSeconds) {
        JsonObject json = new JsonObject();
        json.addProperty("challenge_id", challengeId);
        JsonArray array = new JsonArray();
        for (TrackedFrame frame : frames) {
            array.add(frame(frame, keypoints));
        }
        json.add("frames", array);
        json.addProperty("processing_time", Math.round(processingSeconds * 1000) / 1000.0);
        json.addProperty("budget_hit", report.budgetHit());
        if (report.error() != null) {
            json.add("error", error(report.error().getClass().getSimpleName(), report.error().getMessage()));
        }
        return json;
    }

    /** {@code {"error": {"type": ..., "message": ...}}} for a request refused before any work. */
    static JsonObject refusal(String type, String message) {
        JsonObject json = new JsonObject();
        json.add("error", error(type, message));
        return json;
    }

    private static JsonObject frame(TrackedFrame frame, int keypoints) {
        JsonObject json = new JsonObject();
        json.addProperty("frame_number", frame.frame().frameIndex());
        JsonArray objects = new JsonArray();
        for (TrackedObject object : frame.objects()) {
            JsonObject entry = new JsonObject();
            entry.addProperty("id", object.trackId());
            JsonArray bbox = new JsonArray();
            bbox.add(round(object.detection().x1()));
            bbox.add(round(object.detection().y1()));
            bbox.add(round(object.detection().x2()));
            bbox.add(round(object.detection().y2()));
            entry.add("bbox", bbox);
            entry.addProperty("class_id", object.detection().classId());
            objects.add(entry);
        }
        json.add("objects", objects);
        float[][] points = new float[keypoints][2];
        for (Keypoint keypoint : frame.frame().keypoints()) {
            if (keypoint.index() < keypoints) {
                points[keypoint.index()] = new float[] {keypoint.x(), keypoint.y()};
            }
        }
        JsonArray array = new JsonArray();
        for (float[] point : points) {
            JsonArray xy = new JsonArray();
            xy.add(round(point[0]));
            xy.add(round(point[1]));
            array.add(xy);
        }
        json.add("keypoints", array);
        return json;
    }

    private static JsonObject error(String type, String message) {
        JsonObject error = new JsonObject();
        error.addProperty("type", type);
        error.addProperty("message", message);
        return error;
    }

    private static double round(float pixels) {
        return Math.round(pixels * 100) / 100.0;
    }
}
