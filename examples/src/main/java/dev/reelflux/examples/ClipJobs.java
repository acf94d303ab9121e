package dev.reelflux.examples;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.reelflux.inference.VideoAnalysis;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * What the worker does with a job: its clip through the warm pipeline, answered as the challenge service answers, as
 * the JSON of its result: {@code job_id}, {@code video_url}, the challenge response's {@code frames},
 * {@code processing_time} and {@code budget_hit}, the run's figures under {@code report} (as {@code analyze
 * --summary-json} prints them) and, for a clip that failed, {@code error} ({@code type}, {@code message}) beside the
 * frames done before the failure.
 */
final class ClipJobs implements Function<JobMessage, Mono<JsonObject>> {

    private final Clips clips;

    ClipJobs(Clips clips) {
        this.clips = clips;
    }

    /**
     * Runs {@code job} on subscription (started off the caller's thread). Emits its result once the clip is done,
     * failed or not; errors only when answering failed, which {@link #failure} turns into a result. A cancel cancels
     * the clip and releases what it holds.
     */
    @Override
    public Mono<JsonObject> apply(JobMessage job) {
        long start = System.nanoTime();
        VideoAnalysis analysis = job.budget().map(clips.analysis()::optBudget).orElse(clips.analysis());
        return analysis.analyze(job.videoUrl(), clips.http())
                // Starting a clip takes its slabs and opens its decoder: not on the caller's thread.
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(done -> clips.answers().frames(done).map(frames -> {
                    JsonObject json = ChallengeResponse.of("job_id", job.jobId(), frames, done.report(),
                            (System.nanoTime() - start) / 1e9);
                    json.addProperty("video_url", job.videoUrl().toString());
                    json.add("report", SummaryJson.json(done));
                    return json;
                }));
    }

    /** The result of {@code job} when no answer could be made: its {@code error} alone. */
    static JsonObject failure(JobMessage job, String type, String message) {
        JsonObject json = ChallengeResponse.refusal(type, message);
        json.addProperty("job_id", job.jobId());
        json.addProperty("video_url", job.videoUrl().toString());
        return json;
    }

    static byte[] bytes(JsonObject json) {
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The number of frames a result carries, for the worker's log. */
    static int frames(JsonObject result) {
        return result.has("frames") ? result.getAsJsonArray("frames").size() : 0;
    }

    /** The error a result carries as {@code "Type: message"}, or null. */
    static String error(JsonObject result) {
        if (!result.has("error")) {
            return null;
        }
        JsonObject error = result.getAsJsonObject("error");
        JsonElement message = error.get("message");
        return error.get("type").getAsString() + ": " + (message.isJsonNull() ? "" : message.getAsString());
    }
}
