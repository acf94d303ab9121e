package dev.reelflux.examples;

import com.google.gson.JsonObject;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.SourceException;
import dev.reelflux.decoders.DecodeException;
import dev.reelflux.examples.ChallengeRequest.BadRequestException;
import dev.reelflux.inference.Analysis;
import dev.reelflux.inference.VideoAnalysis;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;

/**
 * The soccer-challenge HTTP service: {@code POST /soccer/challenge} runs the clip at {@code video_url} through the
 * pipeline and the tracker and answers with every analysed frame (see {@link ChallengeResponse}); {@code GET /health}
 * answers 200 once the model is warm, which it is before the server binds.
 *
 * <p>Statuses: 200 with the frames (also when the time budget cut the clip: {@code budget_hit}); 400 for a body that
 * is not the challenge's JSON; 403 for a private address when refused; 413 for a body over 64 KiB; 503 when
 * {@code maxConcurrent} clips are already running (retry later); for a failed video, 502 when the source failed
 * (HTTP error, unreachable, stalled), 422 when the bytes are not a decodable video, 500 otherwise, each with a JSON
 * {@code error} and the frames done before the failure. A client that disconnects cancels its clip.
 */
final class ChallengeService {

    static final String PATH = "/soccer/challenge";
    private static final int MAX_BODY = 64 * 1024;

    private final VideoAnalysis analysis;
    private final ChallengeAnswers answers;
    private final HttpSettings http;
    private final AddressPolicy policy;
    private final Semaphore slots;

    /** Runs clips through {@code analysis} and answers as {@code answers} says. */
    ChallengeService(VideoAnalysis analysis, ChallengeAnswers answers, HttpSettings http, AddressPolicy policy,
                     int maxConcurrent) {
        this.analysis = analysis;
        this.answers = answers;
        this.http = http;
        this.policy = policy;
        this.slots = new Semaphore(maxConcurrent);
    }

    /** Binds {@code host:port} (port 0: any free one) and serves until the returned server is disposed. */
    DisposableServer start(String host, int port) {
        return HttpServer.create().host(host).port(port)
                .route(routes -> routes
                        .post(PATH, this::challenge)
                        .get("/health", (request, response) -> send(response, 200, status("ok"))))
                .bindNow();
    }

    private Mono<Void> challenge(HttpServerRequest request, HttpServerResponse response) {
        long start = System.nanoTime();
        return body(request)
                .map(ChallengeRequest::parse)
                .flatMap(challenge -> run(challenge, start))
                .onErrorResume(BadRequestException.class,
                        e -> Mono.just(new Reply(400, ChallengeResponse.refusal("BadRequest", e.getMessage()))))
                .onErrorResume(BodyTooLarge.class, e -> Mono.just(new Reply(413,
                        ChallengeResponse.refusal("BodyTooLarge", "request body over " + MAX_BODY + " bytes"))))
                // Anything else is the service's own failure; the client still gets JSON.
                .onErrorResume(e -> Mono.just(new Reply(500,
                        ChallengeResponse.refusal(e.getClass().getSimpleName(), String.valueOf(e.getMessage())))))
                .flatMap(reply -> send(response, reply.status(), reply.json()));
    }

    private Mono<Reply> run(ChallengeRequest challenge, long start) {
        if (!slots.tryAcquire()) {
            return Mono.just(new Reply(503, ChallengeResponse.refusal("Busy",
                    "all clip slots are in use; retry shortly")));
        }
        return Mono.fromCallable(() -> policy.refusal(challenge.videoUrl()))
                .subscribeOn(Schedulers.boundedElastic())
                .map(reason -> new Reply(403, ChallengeResponse.refusal("Forbidden", reason)))
                .switchIfEmpty(Mono.defer(() -> analysis.analyze(challenge.videoUrl(), http)
                        .flatMap(done -> answer(challenge, done, start))))
                .doFinally(signal -> slots.release());
    }

    private Mono<Reply> answer(ChallengeRequest challenge, Analysis done, long start) {
        return answers.frames(done).map(frames -> new Reply(status(done.report().error()),
                ChallengeResponse.of(challenge.challengeId(), frames, done.report(),
                        (System.nanoTime() - start) / 1e9)));
    }

    private static int status(Throwable error) {
        if (error == null) {
            return 200;
        }
        if (error instanceof SourceException) {
            return 502;
        }
        return error instanceof DecodeException ? 422 : 500;
    }

    /** The request body as text, at most {@value #MAX_BODY} bytes. */
    private static Mono<String> body(HttpServerRequest request) {
        return request.receive().asByteArray()
                .reduceWith(ByteArrayOutputStream::new, (all, part) -> {
                    if (all.size() + part.length > MAX_BODY) {
                        throw new BodyTooLarge();
                    }
                    all.writeBytes(part);
                    return all;
                })
                .map(all -> all.toString(StandardCharsets.UTF_8))
                .defaultIfEmpty("");
    }

    private static Mono<Void> send(HttpServerResponse response, int status, JsonObject json) {
        return response.status(HttpResponseStatus.valueOf(status))
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .sendString(Mono.just(json.toString()), StandardCharsets.UTF_8)
                .then();
    }

    private static JsonObject status(String status) {
        JsonObject json = new JsonObject();
        json.addProperty("status", status);
        return json;
    }

    private record Reply(int status, JsonObject json) {
    }

    private static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge() {
            super(null, null, false, false);
        }
    }
}
