package dev.reelflux.core;

import dev.reelflux.core.internal.HttpClients;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.netty.handler.ssl.SslContext;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link HttpSource}s connect and what they tolerate. Immutable: every {@code opt*} call returns a configured copy
 * (like Reactor Netty's {@code HttpClient}), so one instance can be shared by a whole service.
 *
 * <p>All sources made with settings that share a {@link ConnectionProvider} share its keep-alive connections; by
 * default that is one reelflux-wide pool. {@link #warmup(URI)} opens a connection ahead of the first request.
 */
public final class HttpSettings {

    private static final HttpSettings DEFAULTS = new HttpSettings();

    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration responseTimeout = Duration.ofSeconds(15);
    private Duration idleTimeout = Duration.ofSeconds(15);
    private int maxRedirects = 5;
    private HttpProtocol[] protocols = {HttpProtocol.HTTP11, HttpProtocol.H2};
    private SslContext sslContext;
    private int maxRetries = 3;
    private Duration retryBackoff = Duration.ofMillis(100);
    private long truncateAt = Long.MAX_VALUE;
    private long maxSize = Long.MAX_VALUE;
    private TransferListener listener = TransferListener.NONE;
    private Map<String, String> headers = Map.of();
    /** Lower case. */
    private Set<String> sensitiveHeaders = Set.of("authorization", "cookie", "proxy-authorization");
    private AddressPolicy addressPolicy = AddressPolicy.any();
    private boolean clientMetrics;
    private ConnectionProvider connectionProvider;
    private BufferPool bufferPool = BufferPool.shared();
    private int connections = 1;
    private boolean adaptiveConnections;
    /** 0: {@link ParallelSource}'s default. */
    private long segmentSize;
    /** 0: {@link ParallelSource}'s default. */
    private int window;
    private volatile HttpClient client;

    private HttpSettings() {
    }

    private HttpSettings copy() {
        HttpSettings c = new HttpSettings();
        c.connectTimeout = connectTimeout;
        c.responseTimeout = responseTimeout;
        c.idleTimeout = idleTimeout;
        c.maxRedirects = maxRedirects;
        c.protocols = protocols;
        c.sslContext = sslContext;
        c.maxRetries = maxRetries;
        c.retryBackoff = retryBackoff;
        c.truncateAt = truncateAt;
        c.maxSize = maxSize;
        c.listener = listener;
        c.headers = headers;
        c.sensitiveHeaders = sensitiveHeaders;
        c.addressPolicy = addressPolicy;
        c.clientMetrics = clientMetrics;
        c.connectionProvider = connectionProvider;
        c.bufferPool = bufferPool;
        c.connections = connections;
        c.adaptiveConnections = adaptiveConnections;
        c.segmentSize = segmentSize;
        c.window = window;
        return c;
    }

    /** The defaults: 10 s connect, 15 s response and idle timeouts, 5 redirects, 3 resumes, HTTP/1.1 and h2 (TLS). */
    public static HttpSettings create() {
        return DEFAULTS;
    }

    /** Longest wait for DNS + TCP connect (+ TLS); past it: {@link ConnectFailedException}. */
    public HttpSettings optConnectTimeout(Duration timeout) {
        HttpSettings c = copy();
        c.connectTimeout = positive(timeout, "connectTimeout");
        return c;
    }

    /** Longest wait from sending a request to its response headers; past it: {@link ResponseTimeoutException}. */
    public HttpSettings optResponseTimeout(Duration timeout) {
        HttpSettings c = copy();
        c.responseTimeout = positive(timeout, "responseTimeout");
        return c;
    }

    /**
     * Longest gap between body bytes while the subscriber is asking for more (a subscriber that stops asking never
     * trips it); past it: {@link StallException}.
     */
    public HttpSettings optIdleTimeout(Duration timeout) {
        HttpSettings c = copy();
        c.idleTimeout = positive(timeout, "idleTimeout");
        return c;
    }

    /** Redirects followed per request (0 turns redirects into {@link RedirectException}s). */
    public HttpSettings optMaxRedirects(int max) {
        HttpSettings c = copy();
        c.maxRedirects = nonNegative(max, "maxRedirects");
        return c;
    }

    /**
     * Protocols offered. {@code HTTP11} and {@code H2} (the default) give HTTP/2 over TLS through ALPN and HTTP/1.1
     * elsewhere; {@code H2C} alone speaks cleartext HTTP/2 with prior knowledge.
     */
    public HttpSettings optProtocols(HttpProtocol... protocols) {
        if (protocols.length == 0) {
            throw new IllegalArgumentException("at least one protocol");
        }
        HttpSettings c = copy();
        c.protocols = protocols.clone();
        return c;
    }

    /** TLS context for https (e.g. trusting a private CA); with h2 it must offer ALPN. Default: the JDK's trust. */
    public HttpSettings optSslContext(SslContext sslContext) {
        HttpSettings c = copy();
        c.sslContext = Objects.requireNonNull(sslContext);
        return c;
    }

    /**
     * How many times a broken transfer (a connection reset or early close mid-body, or a 502/503/504 answer) is resumed
     * with a {@code Range} request from the next missing byte, and the first back-off (doubling, at most 2 s). The
     * count starts again whenever bytes arrive.
     */
    public HttpSettings optRetry(int maxRetries, Duration firstBackoff) {
        HttpSettings c = copy();
        c.maxRetries = nonNegative(maxRetries, "maxRetries");
        c.retryBackoff = positive(firstBackoff, "firstBackoff");
        return c;
    }

    /**
     * Partial download: the source behaves as if the content ended after its first {@code bytes} bytes, and no byte
     * past them is requested (where {@link #optMaxSize} refuses a larger content, this one cuts it).
     */
    public HttpSettings optTruncateAt(long bytes) {
        HttpSettings c = copy();
        c.truncateAt = positive(bytes, "truncateAt");
        return c;
    }

    /**
     * Refuses content larger than {@code maxSize} bytes with a {@link SizeLimitException}: before any body byte when
     * the server declares the size, else as soon as more bytes than that arrive.
     */
    public HttpSettings optMaxSize(long maxSize) {
        HttpSettings c = copy();
        c.maxSize = positive(maxSize, "maxSize");
        return c;
    }

    /**
     * Connections one read may use at once (default 1): above 1, {@link ByteSource#open} reads through a
     * {@link ParallelSource}, which fetches consecutive segments in parallel by ranged requests, beating a link that
     * limits each connection.
     */
    public HttpSettings optConnections(int connections) {
        HttpSettings c = copy();
        c.connections = (int) positive(connections, "connections");
        c.adaptiveConnections = false;
        return c;
    }

    /**
     * Like {@link #optConnections}, but as many as pay, found out per read: four at first, doubled while that raises
     * the throughput by a fifth or more, at most {@code max} (see {@link ParallelSource#optAdaptiveConnections}).
     */
    public HttpSettings optAdaptiveConnections(int max) {
        HttpSettings c = copy();
        c.connections = (int) positive(max, "connections");
        c.adaptiveConnections = true;
        return c;
    }

    /**
     * Most bytes per segment when reading over several connections (default 1 MiB; see
     * {@link ParallelSource#optSegmentSize}).
     */
    public HttpSettings optSegmentSize(long bytes) {
        HttpSettings c = copy();
        c.segmentSize = positive(bytes, "segmentSize");
        return c;
    }

    /**
     * Chunks each segment may hold ahead of demand when reading over several connections (default 32; see
     * {@link ParallelSource#optWindow}).
     */
    public HttpSettings optWindow(int chunks) {
        HttpSettings c = copy();
        c.window = (int) positive(chunks, "window");
        return c;
    }

    /** Receives accounting events of every request (see {@link TransferStats}). */
    public HttpSettings optListener(TransferListener listener) {
        HttpSettings c = copy();
        c.listener = Objects.requireNonNull(listener);
        return c;
    }

    /**
     * Adds a header sent with every request (e.g. {@code Authorization}). Credentials ({@code Authorization},
     * {@code Cookie}, {@code Proxy-Authorization} and those marked with {@link #optSensitiveHeader}) go only to the
     * origin (scheme, host, port) of the source's own URL: a redirect elsewhere, and later reads that follow it, are
     * sent without them, as browsers do.
     */
    public HttpSettings optHeader(String name, String value) {
        HttpSettings c = copy();
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        c.headers = Map.copyOf(h);
        return c;
    }

    /** Marks header {@code name} (any case) as a credential: sent only to the source URL's own origin. */
    public HttpSettings optSensitiveHeader(String name) {
        HttpSettings c = copy();
        Set<String> more = new HashSet<>(sensitiveHeaders);
        more.add(name.toLowerCase(Locale.ROOT));
        c.sensitiveHeaders = Set.copyOf(more);
        return c;
    }

    /**
     * Which addresses connections may go to (default {@link AddressPolicy#any()}), checked by the client's resolver
     * for every connection of every request; a refused host fails the read with {@link AddressRefusedException}.
     */
    public HttpSettings optAddressPolicy(AddressPolicy policy) {
        HttpSettings c = copy();
        c.addressPolicy = Objects.requireNonNull(policy, "policy");
        return c;
    }

    /**
     * Switches on Reactor Netty's own client metrics (connections, data sent and received, response times,
     * {@code reactor.netty.http.client.*}) into {@code registry}. Reactor Netty records into Micrometer's global
     * registry, so {@code registry} is added to it (take it out with {@code Metrics.globalRegistry.remove} when done);
     * the URI tag is {@code /} for every request, so that each clip's URL does not make meters of its own (the remote
     * address is a tag).
     */
    public HttpSettings optMetrics(MeterRegistry registry) {
        if (!Metrics.globalRegistry.getRegistries().contains(registry)) {
            Metrics.globalRegistry.add(registry);
        }
        HttpSettings c = copy();
        c.clientMetrics = true;
        return c;
    }

    /** The connection pool to use instead of the reelflux-wide one. The caller disposes it. */
    public HttpSettings optConnectionProvider(ConnectionProvider provider) {
        HttpSettings c = copy();
        c.connectionProvider = Objects.requireNonNull(provider);
        return c;
    }

    /** Where received bytes are copied to (default {@link BufferPool#shared()}). */
    public HttpSettings optBufferPool(BufferPool pool) {
        HttpSettings c = copy();
        c.bufferPool = Objects.requireNonNull(pool);
        return c;
    }

    /**
     * Opens a keep-alive connection to {@code uri}'s host (DNS, TCP, TLS) with a {@code HEAD} request, so the first
     * real request does not pay for it. Completes when the connection is back in the pool; errors as a request would.
     */
    public Mono<Void> warmup(URI uri) {
        return HttpSource.oneConnection(uri, this).warmup();
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration responseTimeout() {
        return responseTimeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public int maxRedirects() {
        return maxRedirects;
    }

    public HttpProtocol[] protocols() {
        return protocols.clone();
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration retryBackoff() {
        return retryBackoff;
    }

    public long truncateAt() {
        return truncateAt;
    }

    public long maxSize() {
        return maxSize;
    }

    /** Connections one read may use at once (the most, when adaptive). */
    public int connections() {
        return connections;
    }

    public boolean adaptiveConnections() {
        return adaptiveConnections;
    }

    /**
     * {@code source} read as these settings ask: itself for one connection, else through a {@link ParallelSource}
     * with the connections, segment size and window set here.
     */
    ByteSource parallel(ByteSource source) {
        if (connections == 1) {
            return source;
        }
        ParallelSource parallel = ParallelSource.of(source);
        parallel = adaptiveConnections ? parallel.optAdaptiveConnections(connections)
                : parallel.optConnections(connections);
        if (segmentSize > 0) {
            parallel = parallel.optSegmentSize(segmentSize);
        }
        return window > 0 ? parallel.optWindow(window) : parallel;
    }

    public TransferListener listener() {
        return listener;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** Whether header {@code name} is a credential, sent only to the source URL's own origin. */
    public boolean sensitive(String name) {
        return sensitiveHeaders.contains(name.toLowerCase(Locale.ROOT));
    }

    public AddressPolicy addressPolicy() {
        return addressPolicy;
    }

    public BufferPool bufferPool() {
        return bufferPool;
    }

    /** The Reactor Netty client these settings describe, built once per settings instance. */
    HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = HttpClients.build(connectionProvider, connectTimeout, responseTimeout, protocols, sslContext,
                            addressPolicy, clientMetrics);
                    client = c;
                }
            }
        }
        return c;
    }

    @Override
    public String toString() {
        return "HttpSettings[connect=" + connectTimeout + ", response=" + responseTimeout + ", idle=" + idleTimeout
                + ", redirects=" + maxRedirects + ", protocols=" + Arrays.toString(protocols) + ", retries="
                + maxRetries + ", truncateAt=" + truncateAt + ", maxSize=" + maxSize + "]";
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    private static long positive(long v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + v);
        }
        return v;
    }

    private static int nonNegative(int v, String name) {
        if (v < 0) {
            throw new IllegalArgumentException(name + " must be >= 0: " + v);
        }
        return v;
    }
}
