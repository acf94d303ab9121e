package dev.reelflux.core.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Answers one request of a {@link TestHttpServer}: the path's fault if it matches, else its redirect or content, with
 * range support, pacing and first-byte latency.
 */
final class RequestHandler implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

    private final Map<String, Route> routes;
    private final Map<String, ArmedFault> faults;
    private final RequestJournal journal;
    private final Supplier<Shaping> shaping;
    // Names the writability handler of each response: a name still in the pipeline would make Reactor Netty skip it.
    private final AtomicLong gates = new AtomicLong();

    RequestHandler(Map<String, Route> routes, Map<String, ArmedFault> faults, RequestJournal journal,
            Supplier<Shaping> shaping) {
        this.routes = routes;
        this.faults = faults;
        this.journal = journal;
        this.shaping = shaping;
    }

    @Override
    public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
        Connection connection = connectionOf(request);
        String path = pathOf(request.uri());
        String rangeHeader = request.requestHeaders().get(HttpHeaderNames.RANGE);
        Map<String, String> headers = new LinkedHashMap<>();
        request.requestHeaders().forEach(header -> headers.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT),
                header.getValue()));
        Exchange exchange = journal.open(request.method().name(), path, rangeHeader, request.protocol(),
                Connections.id(connection.channel()), Map.copyOf(headers));
        boolean head = HttpMethod.HEAD.equals(request.method());
        if (!head && !HttpMethod.GET.equals(request.method())) {
            response.header(HttpHeaderNames.ALLOW, "GET, HEAD");
            return delayed(() -> text(response, exchange, false, 405, request.method() + " is not supported"));
        }
        Route route = routes.get(path);
        Content content = route instanceof Route.Resource resource ? resource.content() : null;
        ByteRange range = content == null ? null : ByteRange.select(rangeHeader, content.size());
        // Claimed on arrival, not after the latency, so times(k) counts requests in the order they came.
        ArmedFault armed = faults.get(path);
        Fault fault = armed == null ? null : armed.claim(f -> matches(f, head, rangeHeader, content, range));
        if (fault != null && fault.kind() == Fault.Kind.STALL_BEFORE_HEADERS) {
            return Mono.never();
        }
        if (fault != null && fault.kind() == Fault.Kind.STATUS) {
            int status = (int) fault.argument();
            return delayed(() -> text(response, exchange, head, status, "fault: status " + status));
        }
        if (route instanceof Route.Redirect redirect) {
            return delayed(() -> {
                exchange.status(redirect.status());
                return response.status(redirect.status()).header(HttpHeaderNames.LOCATION, redirect.location()).send();
            });
        }
        if (content == null) {
            return delayed(() -> text(response, exchange, head, 404, "nothing is served at " + path));
        }
        String type = ((Route.Resource) route).contentType();
        return delayed(() -> content(content, type, range, fault, head, connection, response, exchange));
    }

    private Mono<Void> delayed(Supplier<Mono<Void>> answer) {
        Duration latency = shaping.get().firstByteLatency();
        Mono<Void> deferred = Mono.defer(answer);
        return latency.isZero() ? deferred : Mono.delay(latency).then(deferred);
    }

    private Mono<Void> content(Content content, String type, ByteRange requested, Fault fault, boolean head,
            Connection connection, HttpServerResponse response, Exchange exchange) {
        Fault.Kind kind = fault == null ? Fault.Kind.NONE : fault.kind();
        long size = content.size();
        ByteRange range = kind == Fault.Kind.IGNORE_RANGE ? ByteRange.full(size) : requested;
        response.header(HttpHeaderNames.CONTENT_TYPE, type);
        if (kind != Fault.Kind.IGNORE_RANGE) {
            response.header(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        }
        response.status(range.status());
        exchange.status(range.status());
        if (range.status() == 416) {
            return response.header(HttpHeaderNames.CONTENT_RANGE, range.contentRange(size))
                    .header(HttpHeaderNames.CONTENT_LENGTH, "0")
                    .send();
        }
        if (range.status() == 206) {
            ByteRange announced = kind == Fault.Kind.WRONG_CONTENT_RANGE ? offByOne(range) : range;
            response.header(HttpHeaderNames.CONTENT_RANGE, announced.contentRange(size));
        }
        long declared = kind == Fault.Kind.WRONG_CONTENT_LENGTH ? fault.argument() : range.length();
        response.header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(declared));
        if (kind == Fault.Kind.WRONG_CONTENT_LENGTH && !isHttp2(connection.channel())) {
            response.keepAlive(false);
        }
        if (head) {
            return response.send();
        }
        boolean cut = kind == Fault.Kind.RESET_AT || kind == Fault.Kind.TRUNCATE_AT || kind == Fault.Kind.STALL_AT;
        Flux<ByteBuf> body = body(content, range.start(), cut ? fault.argument() : range.end(), connection, exchange);
        Mono<Void> sent = response.send(body).then();
        return switch (kind) {
            case RESET_AT -> sent.then(Mono.defer(() -> Connections.abort(connection.channel(), true)));
            case TRUNCATE_AT -> sent.then(Mono.defer(() -> Connections.abort(connection.channel(), false)));
            case STALL_AT -> sent.then(Mono.never());
            default -> sent;
        };
    }

    private Flux<ByteBuf> body(Content content, long from, long to, Connection connection, Exchange exchange) {
        Channel channel = connection.channel();
        WritabilityGate gate = new WritabilityGate(channel);
        connection.addHandlerLast("reelflux.writability." + gates.incrementAndGet(), gate);
        return PacedBody.of(content, from, to, channel.alloc(), gate, () -> shaping.get().bytesPerSecond(),
                exchange::sent);
    }

    /**
     * A status with a one-line {@code text/plain} body (none for 204 and 304, which cannot have one).
     */
    private static Mono<Void> text(HttpServerResponse response, Exchange exchange, boolean head, int status,
            String message) {
        exchange.status(status);
        response.status(status);
        if (status == 204 || status == 304) {
            return response.send();
        }
        byte[] body = (message + "\n").getBytes(US_ASCII);
        response.header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=US-ASCII")
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
        if (head) {
            return response.send();
        }
        return response.sendByteArray(Mono.fromSupplier(() -> {
            exchange.sent(body.length);
            return body;
        })).then();
    }

    private static boolean matches(Fault fault, boolean head, String rangeHeader, Content content, ByteRange range) {
        return switch (fault.kind()) {
            case NONE -> false;
            case STALL_BEFORE_HEADERS, STATUS -> true;
            case WRONG_CONTENT_LENGTH -> content != null && range.status() != 416;
            case IGNORE_RANGE -> content != null && rangeHeader != null;
            case WRONG_CONTENT_RANGE -> content != null && range.status() == 206;
            case RESET_AT, TRUNCATE_AT, STALL_AT -> content != null && !head
                    && range.start() <= fault.argument() && fault.argument() < range.end();
        };
    }

    /**
     * The same length, starting one byte earlier, or one later when the range starts at 0.
     */
    private static ByteRange offByOne(ByteRange range) {
        long shift = range.start() == 0 ? 1 : -1;
        return new ByteRange(range.start() + shift, range.end() + shift, range.status());
    }

    private static boolean isHttp2(Channel channel) {
        return channel instanceof Http2StreamChannel;
    }

    private static Connection connectionOf(HttpServerRequest request) {
        Connection[] connection = new Connection[1];
        request.withConnection(c -> connection[0] = c);
        return connection[0];
    }

    /**
     * The path of a request target, without the query: origin form ({@code /a?b}) or absolute form
     * ({@code http://host/a?b}).
     */
    private static String pathOf(String target) {
        if (target.startsWith("/")) {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }
        try {
            String path = URI.create(target).getRawPath();
            return path == null || path.isEmpty() ? "/" : path;
        } catch (IllegalArgumentException notAUri) {
            return target;
        }
    }
}
