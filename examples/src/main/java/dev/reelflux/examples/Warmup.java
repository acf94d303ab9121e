package dev.reelflux.examples;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.DecodeListener;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.VideoFrame;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.inference.VideoAnalysis;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.function.BiFunction;

/**
 * What a service has done by its second request, and a timed run should not count: a small generated clip through the
 * same settings once, fetched over HTTP from an in-process server on the loopback, which loads the natives and
 * classes and compiles the code of the HTTP client (event loops, connection pool, response handling), the decoder and
 * the models; and a connection to the clip's own host, opened ahead.
 */
final class Warmup {

    private static final byte[] CLIP = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false)
            .optSize(320, 180).optFrames(20).toBytes();
    /** Longest wait for the clip's host: past it the timed request opens its own connection. */
    private static final Duration HOST_WAIT = Duration.ofSeconds(5);

    private Warmup() {
    }

    static void decoder(VideoDecoder decoder, HttpSettings http) {
        overHttp(http, (uri, local) -> decoder.optListener(DecodeListener.NONE).decode(ByteSource.open(uri, local))
                .doOnNext(VideoFrame::close).then());
    }

    static void pipeline(VideoAnalysis analysis, HttpSettings http) {
        overHttp(http, (uri, local) -> analysis.analyze(uri, local).then());
    }

    /**
     * Starts opening a pooled connection to {@code input}'s host when it is an http(s) URL (DNS, TCP, TLS), so that
     * the first request finds it ready. The returned {@code Mono} completes when it is open, or at once for anything
     * else; a failure is left to the real request to report. Wait for it at most a few seconds
     * ({@link #await(Mono)}).
     */
    static Mono<Void> host(String input, HttpSettings http) {
        URI uri;
        try {
            uri = new URI(input);
        } catch (URISyntaxException e) {
            return Mono.empty();
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            return Mono.empty();
        }
        Mono<Void> warming = http.warmup(uri).onErrorResume(e -> Mono.empty()).cache();
        warming.subscribe();
        return warming;
    }

    /** Waits for what {@link #host} started, at most a few seconds: past that the request opens its own. */
    static void await(Mono<Void> warming) {
        warming.timeout(HOST_WAIT, Mono.empty()).block();
    }

    /**
     * Runs {@code run} on the clip served from the loopback, with {@code http} as it is but for an address policy that
     * refuses the loopback: it is allowed for the warm-up alone, so that the policy's own resolver is warmed too.
     */
    private static void overHttp(HttpSettings http, BiFunction<URI, HttpSettings, Mono<Void>> run) {
        try (TestHttpServer local = TestHttpServer.start()) {
            URI uri = local.serve("/warmup.mp4", CLIP);
            HttpSettings loopback = http.addressPolicy().restricts()
                    ? http.optAddressPolicy(http.addressPolicy().optAllow(uri.getHost())) : http;
            run.apply(uri, loopback).block();
        }
    }
}
