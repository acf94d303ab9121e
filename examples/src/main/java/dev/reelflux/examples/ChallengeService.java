package dev.reelflux.examples;

import com.google.gson.JsonObject;
import dev.reelflux.core.AddressRefusedException;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.SizeLimitException;
import dev.reelflux.core.SourceException;
import dev.reelflux.decoders.DecodeException;
import dev.reelflux.examples.ChallengeRequest.BadRequestException;
import dev.reelflux.inference.Analysis;
import dev.reelflux.inference.VideoAnalysis;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The soccer-challenge HTTP service: {@code POST /soccer/challenge} runs the clip at {@code video_url} through the
 * pipeline and the tracker and answers with every analysed frame (see {@link ChallengeResponse}); {@code GET /health}
 * answers 200 once the model is warm, which it is before the server binds, without a token and without waiting for
 * the clips that run; with a registry, {@code GET /metrics} answers its scrape (Prometheus' text format), also without
 * a token: bind the service where only the operator's network reaches it, or keep metrics off.
 *
 * <p>Statuses, each with a JSON body: 200 with the frames (also when the time budget cut the clip: {@code budget_hit});
 * 400 for a body that is not the challenge's JSON; 401 without a token the service admits ({@link ServiceGuards});
 * 403 when the address policy of the HTTP settings refuses where the video is (checked at every connection, redirects
 * included); 408 when the body does not arrive within the request timeout; 413 for a body over 64 KiB or a video over
 * the settings' largest size; 503 when the most clips are already running (retry later); for a failed video, 502 when
 * the source failed (HTTP error, unreachable, stalled), 422 when the bytes are not a decodable video, 500 otherwise,
 * with the frames done before the failure. A client that disconnects cancels its clip.
 */
final class ChallengeService {

    static final String PATH = "/soccer/challenge";
    private static final int MAX_BODY = 64 * 1024;

    private final VideoAnalysis analysis;
    private final ChallengeAnswers answers;
    private final HttpSettings http;
    private final ServiceGuards guards;
    private final Semaphore slots;
    /** Null: no {@code /metrics}. */
    private final PrometheusMeterRegistry metrics;

    /**
     * Runs {@code clips} as {@code guards} allow; with a registry (null: none), {@code GET /metrics} answers its
     * scrape in Prometheus' text format. The clips and the HTTP client record into it when they were loaded with it.
     */
    ChallengeService(Clips clips, ServiceGuards guards, PrometheusMeterRegistry metrics) {
        this.analysis = clips.analysis();
        this.answers = clips.answers();
        this.http = clips.http();
        this.guards = guards;
        this.slots = new Semaphore(guards.maxConcurrent());
        this.metrics = metrics;
    }

    /** Binds {@code host:port} (port 0: any free one) and serves until the returned server is disposed. */
    DisposableServer start(String host, int port) {
        return HttpServer.create().host(host).port(port)
                // A connection that sends no request for this long is closed: a caller cannot hold sockets idle.
                .idleTimeout(guards.requestTimeout())
                .route(routes -> {
                    routes.post(PATH, this::challenge)
                            .get("/health", (request, response) -> send(response, 200, status("ok")));
                    if (metrics != null) {
                        MetricsEndpoint.route(routes, metrics);
                    }
                })
                .bindNow();
    }

    private Mono<Void> challenge(HttpServerRequest request, HttpServerResponse response) {
        long start = System.nanoTime();
        if (!guards.callers().admits(request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION))) {
            response.header(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            // The body is read and dropped (within the request timeout), not left to arrive after the answer.
            return request.receive().then().timeout(guards.requestTimeout(), Mono.empty())
                    .then(send(response, 401, ChallengeResponse.refusal("Unauthorized",
                            "a bearer token the service admits is required")));
        }
        return body(request)
                .timeout(guards.requestTimeout())
                .map(ChallengeRequest::parse)
                .flatMap(challenge -> run(challenge, start))
                .onErrorResume(BadRequestException.class,
                        e -> Mono.just(new Reply(400, ChallengeResponse.refusal("BadRequest", e.getMessage()))))
                .onErrorResume(BodyTooLarge.class, e -> Mono.just(new Reply(413,
                        ChallengeResponse.refusal("BodyTooLarge", "request body over " + MAX_BODY + " bytes"))))
                .onErrorResume(TimeoutException.class, e -> Mono.just(new Reply(408, ChallengeResponse.refusal(
                        "RequestTimeout", "request body not received within " + guards.requestTimeout()))))
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
        // The slot is free once the clip is done, before its answer goes out: a caller that sends its next clip on
        // reading the answer finds it free. Once: the clip may end with a value or without one (a cancel).
        AtomicBoolean held = new AtomicBoolean(true);
        Runnable release = () -> {
            if (held.getAndSet(false)) {
                slots.release();
            }
        };
        return analysis.analyze(challenge.videoUrl(), http)
                // Starting a clip takes its slabs and opens its decoder: not on the event loop, which answers the
                // other callers (503s, /health) meanwhile.
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(done -> release.run())
                .doFinally(signal -> release.run())
                .flatMap(done -> answer(challenge, done, start));
    }

    private Mono<Reply> answer(ChallengeRequest challenge, Analysis done, long start) {
        return answers.frames(done).map(frames -> new Reply(status(done.report().error()),
                ChallengeResponse.of("challenge_id", challenge.challengeId(), frames, done.report(),
                        (System.nanoTime() - start) / 1e9)));
    }

    private static int status(Throwable error) {
        if (error == null) {
            return 200;
        }
        if (error instanceof AddressRefusedException) {
            return 403;
        }
        if (error instanceof SizeLimitException) {
            return 413;
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
