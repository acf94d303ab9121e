package dev.reelflux.core;

import dev.reelflux.core.internal.ContentRange;
import dev.reelflux.core.internal.HttpClients;
import dev.reelflux.core.internal.HttpErrors;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;
import reactor.netty.ByteBufFlux;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientResponse;
import reactor.util.retry.Retry;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link ByteSource} for an http or https URL, on Reactor Netty.
 *
 * <p>Each {@link #read} sends a {@code GET} with {@code Range: bytes=offset-[end]} over a pooled keep-alive connection
 * (HTTP/1.1, or HTTP/2 where negotiated) and emits the body as {@link Chunk}s copied out of Netty's buffers, so no
 * Netty buffer ever leaves this class. The socket is read only as fast as the subscriber requests chunks.
 *
 * <ul>
 *   <li>206 answers are checked against the range asked for ({@link ContentRangeException} otherwise).</li>
 *   <li>A server that ignores {@code Range} (answers 200) is handled by skipping the bytes before {@code offset} as
 *       they arrive; {@link #info()} then reports {@code rangesSupported=false} so a caller can avoid seeking.</li>
 *   <li>A body broken mid-way (reset, early close, 502/503/504) is resumed with {@code Range: bytes=next-} up to
 *       {@link HttpSettings#optRetry} times, so the subscriber sees one seamless stream and no byte is fetched twice.
 *       Without range support a break cannot be resumed: {@link RangeNotSupportedException}.</li>
 *   <li>Redirects are followed up to {@link HttpSettings#optMaxRedirects}; the final location is remembered for later
 *       reads of this source.</li>
 *   <li>Every request is reported to the settings' {@link TransferListener}.</li>
 * </ul>
 * Errors are typed {@link SourceException}s naming the URL: {@link InvalidSourceException},
 * {@link ConnectFailedException}, {@link ResponseTimeoutException}, {@link StallException},
 * {@link HttpStatusException}, {@link ContentRangeException}, {@link SizeLimitException}, {@link RedirectException},
 * {@link RangeNotSupportedException}, {@link TransferFailedException}.
 */
public final class HttpSource implements ByteSource {

    static final String STAGE = "http";
    private static final long OPEN_END = Long.MAX_VALUE;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final URI uri;
    private final HttpSettings settings;
    private final AtomicReference<URI> target;
    private final AtomicReference<SourceInfo> info = new AtomicReference<>();
    /** Waiters for the response of a request in flight while the info is still unknown. */
    private final AtomicReference<Sinks.One<SourceInfo>> pendingInfo = new AtomicReference<>();

    private HttpSource(URI uri, HttpSettings settings) {
        this.uri = uri;
        this.settings = settings;
        this.target = new AtomicReference<>(uri);
    }

    /**
     * A source for {@code url} with default settings.
     *
     * @throws InvalidSourceException if {@code url} is malformed or not http/https
     */
    public static HttpSource create(String url) {
        return create(url, HttpSettings.create());
    }

    /** A source for {@code url} with {@code settings}. */
    public static HttpSource create(String url, HttpSettings settings) {
        Objects.requireNonNull(url, "url");
        try {
            return create(new URI(url.trim()), settings);
        } catch (URISyntaxException e) {
            throw new InvalidSourceException(STAGE, null, "malformed URL '" + url + "': " + e.getMessage(), e);
        }
    }

    /** A source for {@code uri} with default settings. */
    public static HttpSource create(URI uri) {
        return create(uri, HttpSettings.create());
    }

    /**
     * A source for {@code uri} with {@code settings}, over one connection per read: several connections are
     * {@link ByteSource#open}'s (or a {@link ParallelSource} around this source).
     *
     * @throws InvalidSourceException if {@code uri} is not an absolute http/https URL with a host
     * @throws IllegalArgumentException if {@code settings} ask for more than one connection, which this source
     *                                  would not honour
     */
    public static HttpSource create(URI uri, HttpSettings settings) {
        if (settings.connections() > 1) {
            throw new IllegalArgumentException("HttpSource reads over one connection, and these settings ask for "
                    + settings.connections() + ": read with ByteSource.open(uri, settings), or wrap the source in a"
                    + " ParallelSource");
        }
        return oneConnection(uri, settings);
    }

    /** {@link #create(URI, HttpSettings)} whatever connections the settings ask for: the caller reads in parallel. */
    static HttpSource oneConnection(URI uri, HttpSettings settings) {
        checkHttpUrl(uri);
        return new HttpSource(uri, Objects.requireNonNull(settings, "settings"));
    }

    static void checkHttpUrl(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new InvalidSourceException(STAGE, uri, "only http and https URLs are supported", null);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidSourceException(STAGE, uri, "URL has no host", null);
        }
    }

    @Override
    public URI uri() {
        return uri;
    }

    public HttpSettings settings() {
        return settings;
    }

    /**
     * {@inheritDoc}
     *
     * <p>While a read's first request is in flight, waits for its response rather than asking again.
     */
    @Override
    public Mono<SourceInfo> info() {
        return Mono.defer(() -> {
            SourceInfo known = info.get();
            if (known != null) {
                return Mono.just(known);
            }
            Mono<SourceInfo> probe = read(0, 1).doOnNext(Chunk::close).then(Mono.fromSupplier(info::get));
            Sinks.One<SourceInfo> pending = pendingInfo.get();
            return pending == null ? probe : pending.asMono().switchIfEmpty(probe);
        });
    }

    /** What the first response said, or null before it. */
    SourceInfo knownInfo() {
        return info.get();
    }

    private void awaitInfoFromThisRequest() {
        if (info.get() == null && pendingInfo.compareAndSet(null, Sinks.one())) {
            // A response may have been learnt between the check and the swap: nothing would answer this sink then.
            SourceInfo learnt = info.get();
            if (learnt != null) {
                answerInfoWaiters(learnt);
            }
        }
    }

    /** Hands what a response taught to the {@code info()} calls waiting for it. */
    private void answerInfoWaiters(SourceInfo learnt) {
        Sinks.One<SourceInfo> pending = pendingInfo.getAndSet(null);
        if (pending != null) {
            pending.tryEmitValue(learnt);
        }
    }

    /** A request ended; if it taught nothing, its waiters must ask for themselves. */
    private void releaseInfoWaiters() {
        if (info.get() == null) {
            Sinks.One<SourceInfo> pending = pendingInfo.getAndSet(null);
            if (pending != null) {
                pending.tryEmitEmpty();
            }
        }
    }

    /**
     * Opens a connection to this URL's host ahead of the first read (DNS, TCP, TLS) with a {@code HEAD} request whose
     * status is ignored; the connection stays in the pool for the reads that follow.
     */
    public Mono<Void> warmup() {
        return settings.client().head().uri(target.get()).responseContent().then()
                .onErrorMap(e -> HttpErrors.toSourceException(STAGE, target.get(), e, 0));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Past {@link HttpSettings#optTruncateAt} the content is treated as ended. Reading at or past the end of the
     * content completes empty.
     */
    @Override
    public Flux<Chunk> read(long offset, long length) {
        if (offset < 0 || (length < 0 && length != TO_END)) {
            return Flux.error(new IllegalArgumentException("offset " + offset + ", length " + length));
        }
        long wanted = length == TO_END ? OPEN_END : saturatedAdd(offset, length);
        long end = settings.truncateAt() == Long.MAX_VALUE ? wanted : Math.min(wanted, settings.truncateAt());
        if (offset >= end) {
            return Flux.empty();
        }
        return Flux.defer(() -> {
            // Before the subscriber hears of the subscription: one that then asks info() waits for this response.
            // A read cancelled before its request went out lets such waiters ask for themselves.
            awaitInfoFromThisRequest();
            Transfer transfer = new Transfer(offset, end);
            return Flux.defer(() -> attempt(transfer))
                    .retryWhen(retrySpec(transfer))
                    .onErrorMap(e -> fail(transfer, e))
                    .doOnDiscard(Chunk.class, Chunk::close)
                    .doFinally(signal -> releaseInfoWaiters());
        });
    }

    private Retry retrySpec(Transfer transfer) {
        return Retry.backoff(settings.maxRetries(), settings.retryBackoff())
                .maxBackoff(MAX_BACKOFF)
                .transientErrors(true)
                .filter(e -> transfer.resumable() && HttpErrors.isTransient(e))
                .doBeforeRetry(signal -> settings.listener().retrying(
                        target.get(), transfer.position, transfer.attempts + 1, signal.failure()));
    }

    private Throwable fail(Transfer transfer, Throwable e) {
        Throwable cause = Exceptions.isRetryExhausted(e) ? e.getCause() : e;
        if (cause instanceof AddressRefusedException refused && refused.uri() == null) {
            // Raised by the resolver, which knows the host but not the URL.
            return new AddressRefusedException(STAGE, target.get(), refused.getMessage(), refused);
        }
        if (cause instanceof ReelfluxException) {
            return cause;
        }
        URI at = target.get();
        if (HttpErrors.isTransient(cause)) {
            if (!transfer.resumable()) {
                return new RangeNotSupportedException(STAGE, at, "connection broke at byte " + transfer.position
                        + " and the server ignores Range, so the transfer cannot resume", cause);
            }
            return new TransferFailedException(STAGE, at, "connection broke at byte " + transfer.position
                    + "; gave up after " + (transfer.attempts - 1) + " resumes: " + cause, cause);
        }
        return HttpErrors.toSourceException(STAGE, at, cause, transfer.position);
    }

    private Flux<Chunk> attempt(Transfer transfer) {
        if (transfer.position >= transfer.end) {
            return Flux.empty();
        }
        transfer.attempts++;
        return request(transfer, target.get(), new ArrayList<>());
    }

    private Flux<Chunk> request(Transfer transfer, URI to, List<URI> redirects) {
        long from = transfer.position;
        long length = transfer.end == OPEN_END ? TO_END : transfer.end - from;
        RequestLog log = new RequestLog(to, from, length, transfer.attempts);
        settings.listener().requestStarted(to, from, length, transfer.attempts);
        awaitInfoFromThisRequest();
        return settings.client()
                .headers(h -> {
                    boolean ownOrigin = sameOrigin(uri, to);
                    settings.headers().forEach((name, value) -> {
                        if (ownOrigin || !settings.sensitive(name)) {
                            h.set(name, value);
                        }
                    });
                    h.set(HttpHeaderNames.RANGE, "bytes=" + from + "-" + (length == TO_END ? "" : transfer.end - 1));
                })
                .doOnResponse(log::responded)
                .get()
                .uri(to)
                .response((response, body) -> body(transfer, to, response, body, log))
                .doOnError(log::failed)
                // Recorded before the terminal signal travels on, so a subscriber that just completed sees it.
                .doOnTerminate(() -> settings.listener().requestFinished(log.record(SignalType.ON_COMPLETE)))
                .doOnCancel(() -> settings.listener().requestFinished(log.record(SignalType.CANCEL)))
                .doFinally(signal -> releaseInfoWaiters())
                .onErrorResume(Redirect.class, r -> follow(transfer, to, r.location, redirects));
    }

    /** Same scheme, host and port (a missing port is the scheme's own), as an origin is compared on the web. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private Flux<Chunk> follow(Transfer transfer, URI from, String location, List<URI> redirects) {
        if (location == null || location.isBlank()) {
            return Flux.error(new RedirectException(STAGE, from, "redirect without a Location header", null));
        }
        URI next;
        try {
            next = from.resolve(new URI(location.trim()));
        } catch (URISyntaxException e) {
            return Flux.error(new RedirectException(STAGE, from, "malformed Location '" + location + "'", e));
        }
        if (next.equals(from) || redirects.contains(next) || next.equals(uri)) {
            return Flux.error(new RedirectException(STAGE, uri, "redirect loop at " + next, null));
        }
        if (redirects.size() >= settings.maxRedirects()) {
            return Flux.error(new RedirectException(STAGE, uri, "more than " + settings.maxRedirects()
                    + " redirects (last to " + next + ")", null));
        }
        try {
            checkHttpUrl(next);
        } catch (InvalidSourceException e) {
            return Flux.error(new RedirectException(STAGE, from, "redirect to an unusable location " + next, e));
        }
        redirects.add(next);
        target.set(next);
        return request(transfer, next, redirects);
    }

    private Flux<Chunk> body(Transfer transfer, URI to, HttpClientResponse response, ByteBufFlux body,
                             RequestLog log) {
        int status = response.status().code();
        HttpHeaders headers = response.responseHeaders();
        if (status >= 300 && status < 400 && status != 304) {
            return Flux.error(new Redirect(headers.get(HttpHeaderNames.LOCATION)));
        }
        long from = transfer.position;
        long expectedEnd;
        long skip = 0;
        if (status == 206) {
            ContentRange range = ContentRange.parse(headers.get(HttpHeaderNames.CONTENT_RANGE));
            if (range == null || range.first() != from) {
                return Flux.error(new ContentRangeException(STAGE, to, "asked for bytes from " + from
                        + ", got Content-Range '" + headers.get(HttpHeaderNames.CONTENT_RANGE) + "'", null));
            }
            long wantedEnd = range.total() < 0 ? transfer.end : Math.min(transfer.end, range.total());
            long declaredLength = contentLength(headers);
            if ((wantedEnd != OPEN_END && range.last() + 1 != wantedEnd)
                    || (declaredLength >= 0 && declaredLength != range.length())) {
                return Flux.error(new ContentRangeException(STAGE, to, "asked for bytes " + from + "-"
                        + (wantedEnd == OPEN_END ? "" : wantedEnd - 1) + ", got Content-Range '"
                        + headers.get(HttpHeaderNames.CONTENT_RANGE) + "' and Content-Length " + declaredLength,
                        null));
            }
            SourceException changed = learn(to, range.total(), true, headers);
            if (changed != null) {
                return Flux.error(changed);
            }
            expectedEnd = range.last() + 1;
        } else if (status == 200) {
            if (from > transfer.start) {
                return Flux.error(new RangeNotSupportedException(STAGE, to, "cannot resume at byte " + from
                        + ": the server ignored Range and answered 200", null));
            }
            long size = contentLength(headers);
            SourceException changed = learn(to, size, false, headers);
            if (changed != null) {
                return Flux.error(changed);
            }
            transfer.rangesIgnored = true;
            skip = from;
            expectedEnd = size < 0 ? OPEN_END : Math.min(transfer.end, size);
        } else if (status == 416) {
            ContentRange.Unsatisfied unsatisfied = ContentRange.parseUnsatisfied(
                    headers.get(HttpHeaderNames.CONTENT_RANGE));
            if (unsatisfied != null && from >= unsatisfied.total()) {
                learn(to, unsatisfied.total(), true, headers);
                transfer.position = transfer.end;
                return Flux.empty();
            }
            return Flux.error(new ContentRangeException(STAGE, to, "range from byte " + from
                    + " not satisfiable (Content-Range '" + headers.get(HttpHeaderNames.CONTENT_RANGE) + "')", null));
        } else {
            return Flux.error(new HttpStatusException(STAGE, to, status, response.status().reasonPhrase()));
        }
        SourceInfo known = info.get();
        if (known != null && known.sizeKnown() && known.size() > settings.maxSize()) {
            return Flux.error(tooLarge(to, known.size()));
        }
        return copyBody(transfer, to, body, skip, expectedEnd, log);
    }

    private Flux<Chunk> copyBody(Transfer transfer, URI to, ByteBufFlux body, long skipBytes, long expectedEnd,
                                 RequestLog log) {
        BufferPool pool = settings.bufferPool();
        long[] skip = {skipBytes};
        return body.<Chunk>handle((buf, sink) -> {
                    int index = buf.readerIndex();
                    int n = buf.readableBytes();
                    if (skip[0] > 0) {
                        int skipped = (int) Math.min(skip[0], n);
                        skip[0] -= skipped;
                        index += skipped;
                        n -= skipped;
                    }
                    n = (int) Math.min(n, transfer.end - transfer.position);
                    if (n > 0) {
                        if (transfer.position + n > settings.maxSize()) {
                            sink.error(tooLarge(to, transfer.position + n));
                            return;
                        }
                        Chunk chunk = copy(pool, buf, index, n, transfer.position);
                        transfer.position += n;
                        log.bytes += n;
                        settings.listener().bytesReceived(n);
                        sink.next(chunk);
                    }
                    // Stop early only when the server would send more than asked (it ignored Range); a complete
                    // response is left to end by itself so its connection goes back to the pool.
                    if (transfer.position >= transfer.end && expectedEnd > transfer.end) {
                        sink.complete();
                    }
                })
                .transform(Guards.idleTimeout(settings.idleTimeout(), () -> new StallException(STAGE, to,
                        "no data for " + settings.idleTimeout().toMillis() + " ms at byte " + transfer.position, null)))
                .concatWith(Flux.defer(() -> transfer.position < expectedEnd && expectedEnd != OPEN_END
                        ? Flux.error(new HttpErrors.PrematureEnd(transfer.position, expectedEnd))
                        : Flux.empty()));
    }

    private static Chunk copy(BufferPool pool, ByteBuf buf, int index, int n, long offset) {
        ByteBuffer buffer = pool.acquire(n);
        buf.getBytes(index, buffer);
        buffer.flip();
        return pool.wrap(buffer, offset);
    }

    /** Records what a response says of the content; returns an error if it contradicts what was learnt before. */
    private SourceException learn(URI to, long size, boolean ranges, HttpHeaders headers) {
        long visible = size >= 0 && settings.truncateAt() != Long.MAX_VALUE ? Math.min(size, settings.truncateAt()) : size;
        SourceInfo fresh = new SourceInfo(visible, ranges, headers.get(HttpHeaderNames.CONTENT_TYPE));
        SourceInfo before = info.compareAndExchange(null, fresh);
        if (before == null) {
            answerInfoWaiters(fresh);
        }
        if (before != null && before.sizeKnown() && fresh.sizeKnown() && before.size() != fresh.size()) {
            return new ContentRangeException(STAGE, to, "content size changed from " + before.size() + " to "
                    + fresh.size() + " between requests", null);
        }
        if (before != null && before.rangesSupported() != ranges) {
            info.set(fresh);
        }
        return null;
    }

    private SizeLimitException tooLarge(URI to, long size) {
        return new SizeLimitException(STAGE, to, "content of at least " + size + " bytes exceeds the limit of "
                + settings.maxSize(), null);
    }

    private static long contentLength(HttpHeaders headers) {
        String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? OPEN_END : sum;
    }

    @Override
    public String toString() {
        return "HttpSource[" + uri + "]";
    }

    /** Progress of one {@link #read}, shared by its resumes. Touched by one request at a time. */
    private static final class Transfer {
        final long start;
        final long end;
        long position;
        int attempts;
        boolean rangesIgnored;

        Transfer(long start, long end) {
            this.start = start;
            this.end = end;
            this.position = start;
        }

        /** A retry must not fetch a byte twice: possible when nothing arrived yet or the server serves ranges. */
        boolean resumable() {
            return position == start || !rangesIgnored;
        }
    }

    /** Timings of one request, turned into a {@link RequestRecord} when it ends. */
    private static final class RequestLog {
        final URI uri;
        final long offset;
        final long length;
        final int attempt;
        final long startedAt = System.nanoTime();
        volatile long respondedAt = -1;
        volatile long connectNanos;
        volatile int status;
        volatile String protocol;
        volatile long connectionId = -1;
        volatile Throwable error;
        volatile long bytes;

        RequestLog(URI uri, long offset, long length, int attempt) {
            this.uri = uri;
            this.offset = offset;
            this.length = length;
            this.attempt = attempt;
        }

        void responded(HttpClientResponse response, Connection connection) {
            respondedAt = System.nanoTime();
            status = response.status().code();
            protocol = response.version().text();
            connectionId = HttpClients.connectionId(connection);
            long connectedAt = HttpClients.connectedAt(connection);
            connectNanos = connectedAt >= startedAt ? connectedAt - startedAt : 0;
        }

        void failed(Throwable e) {
            if (!(e instanceof Redirect)) {
                error = e;
            }
        }

        RequestRecord record(SignalType signal) {
            RequestRecord.Outcome outcome = error != null ? RequestRecord.Outcome.FAILED
                    : signal == SignalType.CANCEL ? RequestRecord.Outcome.CANCELLED : RequestRecord.Outcome.COMPLETED;
            return new RequestRecord(uri, offset, length, attempt, status, protocol, connectionId, connectNanos,
                    respondedAt < 0 ? -1 : respondedAt - startedAt, bytes, System.nanoTime() - startedAt, outcome,
                    error);
        }
    }

    /** A 3xx answer, carried as an error so that the request's resources unwind before the next one starts. */
    private static final class Redirect extends RuntimeException {
        final String location;

        Redirect(String location) {
            super(null, null, false, false);
            this.location = location;
        }
    }
}
