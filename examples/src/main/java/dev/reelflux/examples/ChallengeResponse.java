package dev.reelflux.examples;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.reelflux.core.PipelineReport;
import dev.reelflux.inference.Keypoint;
import dev.reelflux.inference.TrackedObject;

import java.util.List;

/**
 * The response body of {@code POST /soccer/challenge}: {@code challenge_id}, {@code frames} (each with
 * {@code frame_number}, {@code objects} of {@code id}, {@code bbox [x1, y1, x2, y2]} in source pixels and
 * {@code class_id}, and {@code keypoints}: one {@code [x, y]} per model keypoint, {@code [0, 0]} where not detected),
 * {@code processing_time} in seconds, and, beyond the challenge's shape, per frame {@code filled} ({@code objects},
 * {@code keypoints}: which came from the inferred frames around it) where anything was filled, {@code budget_hit} and,
 * for a failed video, {@code error} ({@code type}, {@code message}).
 */
final class ChallengeResponse {

    private ChallengeResponse() {
    }

    /**
     * One answered frame.
     *
     * @param number    the frame's index in the clip
     * @param objects   its tracked objects
     * @param keypoints its K keypoints in order, {@code (0, 0)} where not detected
     * @param objectsFilled   whether the objects come from the inferred frames around it, not from the detector
     * @param keypointsFilled whether the keypoints do
     */
    record Frame(long number, List<TrackedObject> objects, List<Keypoint> keypoints, boolean objectsFilled,
                 boolean keypointsFilled) {
    }

    /**
     * The response for {@code frames} of a clip whose run {@code report} describes, identified as {@code idName}:
     * {@code id} ({@code challenge_id} for the service; other callers name their own).
     */
    static JsonObject of(String idName, String id, List<Frame> frames, PipelineReport report,
                         double processingSeconds) {
        JsonObject json = new JsonObject();
        json.addProperty(idName, id);
        JsonArray array = new JsonArray();
        for (Frame frame : frames) {
            array.add(frame(frame));
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

    private static JsonObject frame(Frame frame) {
        JsonObject json = new JsonObject();
        json.addProperty("frame_number", frame.number());
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
        JsonArray array = new JsonArray();
        for (Keypoint point : frame.keypoints()) {
            JsonArray xy = new JsonArray();
            xy.add(round(point.x()));
            xy.add(round(point.y()));
            array.add(xy);
        }
        json.add("keypoints", array);
        if (frame.objectsFilled() || frame.keypointsFilled()) {
            JsonObject filled = new JsonObject();
            filled.addProperty("objects", frame.objectsFilled());
            filled.addProperty("keypoints", frame.keypointsFilled());
            json.add("filled", filled);
        }
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
