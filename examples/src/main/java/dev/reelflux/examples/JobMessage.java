package dev.reelflux.examples;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.reelflux.examples.ChallengeRequest.BadRequestException;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A job of the fleet's jobs topic: UTF-8 JSON {@code {"job_id": "...", "video_url": "http(s)://...",
 * "budget_seconds": 2.5}}, the budget optional (the worker's own otherwise). Other fields are ignored.
 *
 * @param jobId    the key of its result (a JSON string or number)
 * @param videoUrl an absolute http or https URL with a host
 * @param budget   the time this clip may take, when the job sets one
 */
record JobMessage(String jobId, URI videoUrl, Optional<Duration> budget) {

    /** The longest budget a job may ask for: a day, far past any clip, short of overflowing a deadline. */
    private static final double MOST_BUDGET_SECONDS = 86_400;

    /**
     * Parses and checks a job's message value.
     *
     * @throws BadRequestException naming what is wrong: the reason its dead letter carries
     */
    static JobMessage parse(byte[] value) {
        if (value == null || value.length == 0) {
            throw new BadRequestException("empty message");
        }
        JsonObject json = ChallengeRequest.object(utf8(value));
        String jobId = ChallengeRequest.field(json, "job_id", true);
        URI videoUrl = ChallengeRequest.videoUrl(ChallengeRequest.field(json, "video_url", false));
        return new JobMessage(jobId, videoUrl, budget(json.get("budget_seconds")));
    }

    private static Optional<Duration> budget(JsonElement value) {
        if (value == null || value.isJsonNull()) {
            return Optional.empty();
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            throw new BadRequestException("budget_seconds must be a number");
        }
        double seconds = value.getAsDouble();
        if (!(seconds > 0 && seconds <= MOST_BUDGET_SECONDS)) {
            throw new BadRequestException("budget_seconds must be above 0 and at most " + MOST_BUDGET_SECONDS);
        }
        return Optional.of(Duration.ofNanos(Math.round(seconds * 1e9)));
    }

    private static String utf8(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequestException("message is not UTF-8");
        }
    }
}
