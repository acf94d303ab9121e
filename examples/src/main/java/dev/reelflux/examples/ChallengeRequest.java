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
        JsonObject json = object(body);
        String challengeId = field(json, "challenge_id", true);
        return new ChallengeRequest(challengeId, videoUrl(field(json, "video_url", false)));
    }

    /**
     * {@code body} as a JSON object.
     *
     * @throws BadRequestException when it is not valid JSON or not an object
     */
    static JsonObject object(String body) {
        JsonElement root;
        try {
            root = JsonParser.parseString(body);
        } catch (JsonParseException e) {
            throw new BadRequestException("body is not valid JSON");
        }
        if (!root.isJsonObject()) {
            throw new BadRequestException("body must be a JSON object");
        }
        return root.getAsJsonObject();
    }

    /**
     * The non-blank string (or, where {@code numberAllowed}, number) field {@code name} of {@code json}, as text.
     *
     * @throws BadRequestException when it is missing, blank or of another type
     */
    static String field(JsonObject json, String name, boolean numberAllowed) {
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

    /**
     * {@code url} as an absolute http or https URL with a host.
     *
     * @throws BadRequestException when it is not one
     */
    static URI videoUrl(String url) {
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
