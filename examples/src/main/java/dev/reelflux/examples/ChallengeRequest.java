package dev.reelflux.examples;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The body of {@code POST /soccer/challenge}: {@code {"challenge_id": "...", "video_url": "http(s)://..."}}.
 *
 * @param challengeId echoed in the response (a JSON string or number)
 * @param videoUrl    an absolute http or https URL with a host
 */
record ChallengeRequest(String challengeId, URI videoUrl) {

    /**
     * Parses and checks a request body.
     *
     * @throws BadRequestException naming what is wrong, for a 400 response
     */
    static ChallengeRequest parse(String body) {
        JsonElement root;
        try {
            root = JsonParser.parseString(body);
        } catch (JsonParseException e) {
            throw new BadRequestException("body is not valid JSON");
        }
        if (!root.isJsonObject()) {
            throw new BadRequestException("body must be a JSON object");
        }
        JsonObject json = root.getAsJsonObject();
        String challengeId = field(json, "challenge_id", true);
        String url = field(json, "video_url", false);
        return new ChallengeRequest(challengeId, videoUrl(url));
    }

    private static String field(JsonObject json, String name, boolean numberAllowed) {
        JsonElement value = json.get(name);
        if (value == null || value.isJsonNull()) {
            throw new BadRequestException("missing field " + name);
        }
        if (!value.isJsonPrimitive()) {
            throw new BadRequestException(name + " must be a string");
        }
        JsonPrimitive primitive = value.getAsJsonPrimitive();
        if (!(primitive.isString() || numberAllowed && primitive.isNumber())) {
            throw new BadRequestException(name + " must be a string");
        }
        String text = primitive.getAsString();
        if (text.isBlank()) {
            throw new BadRequestException(name + " is empty");
        }
        return text;
    }

    private static URI videoUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new BadRequestException("video_url is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new BadRequestException("video_url must be an http or https URL");
        }
        if (uri.getHost() == null) {
            throw new BadRequestException("video_url has no host");
        }
        return uri;
    }

    /** A request the service will not run; the message is the reason the client gets. */
    static final class BadRequestException extends IllegalArgumentException {
        BadRequestException(String message) {
            super(message);
        }
    }
}
