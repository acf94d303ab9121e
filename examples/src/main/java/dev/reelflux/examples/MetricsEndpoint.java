package dev.reelflux.examples;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRoutes;

import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: a registry's scrape in Prometheus' text format, for {@code serve} and {@code worker}. */
final class MetricsEndpoint {

    private MetricsEndpoint() {
    }

    /**
     * Closes {@code registry} (null: nothing) and takes it out of Micrometer's global one, where
     * {@link dev.reelflux.core.HttpSettings#optMetrics} put it for Reactor Netty's meters.
     */
    static void close(MeterRegistry registry) {
        if (registry != null) {
            Metrics.globalRegistry.remove(registry);
            registry.close();
        }
    }

    /** Adds {@code GET /metrics} for {@code registry} to {@code routes}. */
    static HttpServerRoutes route(HttpServerRoutes routes, PrometheusMeterRegistry registry) {
        return routes.get("/metrics", (request, response) -> response
                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                .sendString(Mono.fromSupplier(registry::scrape), StandardCharsets.UTF_8));
    }

    /**
     * A server on {@code host:port} (port 0: any free one) answering only {@code GET /metrics} and {@code GET /health}
     * (200 while the process runs), for a process that serves nothing else: the fleet worker.
     */
    static DisposableServer start(String host, int port, PrometheusMeterRegistry registry) {
        return HttpServer.create().host(host).port(port)
                .route(routes -> route(routes, registry).get("/health", (request, response) -> response
                        .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                        .sendString(Mono.just("{\"status\":\"ok\"}"), StandardCharsets.UTF_8)))
                .bindNow();
    }
}
