package dev.reelflux.examples;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;

import java.time.Duration;

/** A client of the challenge service for its tests: posts bodies over real HTTP and reads the JSON answers. */
final class ChallengeClient {

    static final Duration WAIT = Duration.ofSeconds(60);

    private ChallengeClient() {
    }

    /** The challenge's request body. */
    static String challenge(String id, String url) {
        JsonObject json = new JsonObject();
        json.addProperty("challenge_id", id);
        json.addProperty("video_url", url);
        return json.toString();
    }

    static Response post(DisposableServer server, String body) {
        return postAsync(server, body).block(WAIT);
    }

    static Mono<Response> postAsync(DisposableServer server, String body) {
        return HttpClient.create().responseTimeout(WAIT)
                .post().uri("http://127.0.0.1:" + server.port() + ChallengeService.PATH)
                .send(ByteBufMono.fromString(Mono.just(body)))
                .responseSingle((response, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new Response(response.status().code(), text)));
    }

    /** A status and a body. */
    record Response(int status, String body) {
        JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }

        String errorType() {
            return json().getAsJsonObject("error").get("type").getAsString();
        }

        String errorMessage() {
            return json().getAsJsonObject("error").get("message").getAsString();
        }
    }
}
