package dev.reelflux.core;

import dev.reelflux.core.internal.HttpClients;
import dev.reelflux.core.internal.Values;
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
import java.util.function.Consumer;

/**
 * How {@link HttpSource}s connect and what they tolerate. Immutable: every {@code opt*} call returns a configured copy
 * (like Reactor Netty's {@code HttpClient}), so one instance can be shared by a whole service.
 *
 * <p>All sources made with settings that share a {@link ConnectionProvider} share its keep-alive connections; by
 * default that is one reelflux-wide pool. {@link #warmup(URI)} opens a connection ahead of the first request.
 */
public final class HttpSettings {

    private static final HttpSettings DEFAULTS = new HttpSettings(new Settings());

    private final Settings settings;
    private volatile HttpClient client;

    private HttpSettings(Settings settings) {
        this.settings = settings;
    }

    /** The defaults: 10 s connect, 15 s response and idle timeouts, 5 redirects, 3 resumes, HTTP/1.1 and h2 (TLS). */
    public static HttpSettings create() {
        return DEFAULTS;
    }

    /** Longest wait for DNS + TCP connect (+ TLS); past it: {@link ConnectFailedException}. */
    public HttpSettings optConnectTimeout(Duration timeout) {
        return with(s -> s.connectTimeout = positive(timeout, "connectTimeout"));
    }

    /** Longest wait from sending a request to its response headers; past it: {@link ResponseTimeoutException}. */
    public HttpSettings optResponseTimeout(Duration timeout) {
        return with(s -> s.responseTimeout = positive(timeout, "responseTimeout"));
    }

    /**
     * Longest gap between body bytes while the subscriber is asking for more (a subscriber that stops asking never
     * trips it); past it: {@link StallException}.
     */
    public HttpSettings optIdleTimeout(Duration timeout) {
        return with(s -> s.idleTimeout = positive(timeout, "idleTimeout"));
    }

    /** Redirects followed per request (0 turns redirects into {@link RedirectException}s). */
    public HttpSettings optMaxRedirects(int max) {
        return with(s -> s.maxRedirects = nonNegative(max, "maxRedirects"));
    }

    /**
     * Protocols offered. {@code HTTP11} and {@code H2} (the default) give HTTP/2 over TLS through ALPN and HTTP/1.1
     * elsewhere; {@code H2C} alone speaks cleartext HTTP/2 with prior knowledge.
     */
    public HttpSettings optProtocols(HttpProtocol... protocols) {
        if (protocols.length == 0) {
            throw new IllegalArgumentException("at least one protocol");
        }
        return with(s -> s.protocols = protocols.clone());
    }

    /** TLS context for https (e.g. trusting a private CA); with h2 it must offer ALPN. Default: the JDK's trust. */
    public HttpSettings optSslContext(SslContext sslContext) {
        return with(s -> s.sslContext = Objects.requireNonNull(sslContext));
    }

    /**
     * How many times a broken transfer (a connection reset or early close mid-body, or a 502/503/504 answer) is resumed
     * with a {@code Range} request from the next missing byte, and the first back-off (doubling, at most 2 s). The
     * count starts again whenever bytes arrive.
     */
    public HttpSettings optRetry(int maxRetries, Duration firstBackoff) {
        int retries = nonNegative(maxRetries, "maxRetries");
        Duration backoff = positive(firstBackoff, "firstBackoff");
        return with(s -> {
            s.maxRetries = retries;
            s.retryBackoff = backoff;
        });
    }

    /**
     * Partial download: the source behaves as if the content ended after its first {@code bytes} bytes, and no byte
     * past them is requested (where {@link #optMaxSize} refuses a larger content, this one cuts it).
     */
    public HttpSettings optTruncateAt(long bytes) {
        return with(s -> s.truncateAt = positive(bytes, "truncateAt"));
    }

    /**
     * Refuses content larger than {@code maxSize} bytes with a {@link SizeLimitException}: before any body byte when
     * the server declares the size, else as soon as more bytes than that arrive.
     */
    public HttpSettings optMaxSize(long maxSize) {
        return with(s -> s.maxSize = positive(maxSize, "maxSize"));
    }

    /**
     * Connections one read may use at once (default 1): above 1, {@link ByteSource#open} reads through a
     * {@link ParallelSource}, which fetches consecutive segments in parallel by ranged requests, beating a link that
     * limits each connection.
     */
    public HttpSettings optConnections(int connections) {
        int most = (int) positive(connections, "connections");
        return with(s -> {
            s.connections = most;
            s.adaptiveConnections = false;
        });
    }

    /**
     * Like {@link #optConnections}, but as many as pay, found out per read: four at first, doubled while that raises
     * the throughput by a fifth or more, at most {@code max} (see {@link ParallelSource#optAdaptiveConnections}).
     */
    public HttpSettings optAdaptiveConnections(int max) {
        int most = (int) positive(max, "connections");
        return with(s -> {
            s.connections = most;
            s.adaptiveConnections = true;
        });
    }

    /**
     * Most bytes per segment when reading over several connections (default 1 MiB; see
     * {@link ParallelSource#optSegmentSize}).
     */
    public HttpSettings optSegmentSize(long bytes) {
        return with(s -> s.segmentSize = positive(bytes, "segmentSize"));
    }

    /**
     * Chunks each segment may hold ahead of demand when reading over several connections (default 32; see
     * {@link ParallelSource#optWindow}).
     */
    public HttpSettings optWindow(int chunks) {
        return with(s -> s.window = (int) positive(chunks, "window"));
    }

    /** Receives accounting events of every request (see {@link TransferStats}). */
    public HttpSettings optListener(TransferListener listener) {
        return with(s -> s.listener = Objects.requireNonNull(listener));
    }

    /**
     * Adds a header sent with every request (e.g. {@code Authorization}). Credentials ({@code Authorization},
     * {@code Cookie}, {@code Proxy-Authorization} and those marked with {@link #optSensitiveHeader}) go only to the
     * origin (scheme, host, port) of the source's own URL: a redirect elsewhere, and later reads that follow it, are
     * sent without them, as browsers do.
     */
    public HttpSettings optHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(settings.headers);
        h.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        Map<String, String> all = Map.copyOf(h);
        return with(s -> s.headers = all);
    }

    /** Marks header {@code name} (any case) as a credential: sent only to the source URL's own origin. */
    public HttpSettings optSensitiveHeader(String name) {
        Set<String> more = new HashSet<>(settings.sensitiveHeaders);
        more.add(name.toLowerCase(Locale.ROOT));
        Set<String> all = Set.copyOf(more);
        return with(s -> s.sensitiveHeaders = all);
    }

    /**
     * Which addresses connections may go to (default {@link AddressPolicy#any()}), checked by the client's resolver
     * for every connection of every request; a refused host fails the read with {@link AddressRefusedException}.
     */
    public HttpSettings optAddressPolicy(AddressPolicy policy) {
        return with(s -> s.addressPolicy = Objects.requireNonNull(policy, "policy"));
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
        return with(s -> s.clientMetrics = true);
    }

    /** The connection pool to use instead of the reelflux-wide one. The caller disposes it. */
    public HttpSettings optConnectionProvider(ConnectionProvider provider) {
        return with(s -> s.connectionProvider = Objects.requireNonNull(provider));
    }

    /** Where received bytes are copied to (default {@link BufferPool#shared()}). */
    public HttpSettings optBufferPool(BufferPool pool) {
        return with(s -> s.bufferPool = Objects.requireNonNull(pool));
    }

    /**
     * Opens a keep-alive connection to {@code uri}'s host (DNS, TCP, TLS) with a {@code HEAD} request, so the first
     * real request does not pay for it. Completes when the connection is back in the pool; errors as a request would.
     */
    public Mono<Void> warmup(URI uri) {
        return HttpSource.oneConnection(uri, this).warmup();
    }

    public Duration connectTimeout() {
        return settings.connectTimeout;
    }

    public Duration responseTimeout() {
        return settings.responseTimeout;
    }

    public Duration idleTimeout() {
        return settings.idleTimeout;
    }

    public int maxRedirects() {
        return settings.maxRedirects;
    }

    public HttpProtocol[] protocols() {
        return settings.protocols.clone();
    }

    public int maxRetries() {
        return settings.maxRetries;
    }

    public Duration retryBackoff() {
        return settings.retryBackoff;
    }

    public long truncateAt() {
        return settings.truncateAt;
    }

    public long maxSize() {
        return settings.maxSize;
    }

    /** Connections one read may use at once (the most, when adaptive). */
    public int connections() {
        return settings.connections;
    }

    public boolean adaptiveConnections() {
        return settings.adaptiveConnections;
    }

    /**
     * {@code source} read as these settings ask: itself for one connection, else through a {@link ParallelSource}
     * with the connections, segment size and window set here.
     */
    ByteSource parallel(ByteSource source) {
        if (settings.connections == 1) {
            return source;
        }
        ParallelSource parallel = ParallelSource.of(source);
        parallel = settings.adaptiveConnections ? parallel.optAdaptiveConnections(settings.connections)
                : parallel.optConnections(settings.connections);
        if (settings.segmentSize > 0) {
            parallel = parallel.optSegmentSize(settings.segmentSize);
        }
        return settings.window > 0 ? parallel.optWindow(settings.window) : parallel;
    }

    public TransferListener listener() {
        return settings.listener;
    }

    public Map<String, String> headers() {
        return settings.headers;
    }

    /** Whether header {@code name} is a credential, sent only to the source URL's own origin. */
    public boolean sensitive(String name) {
        return settings.sensitiveHeaders.contains(name.toLowerCase(Locale.ROOT));
    }

    public AddressPolicy addressPolicy() {
        return settings.addressPolicy;
    }

    public BufferPool bufferPool() {
        return settings.bufferPool;
    }

    /** The Reactor Netty client these settings describe, built once per settings instance. */
    HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    Settings v = settings;
                    c = HttpClients.build(v.connectionProvider, v.connectTimeout, v.responseTimeout, v.protocols,
                            v.sslContext, v.addressPolicy, v.clientMetrics);
                    client = c;
                }
            }
        }
        return c;
    }

    @Override
    public String toString() {
        Settings v = settings;
        return "HttpSettings[connect=" + v.connectTimeout + ", response=" + v.responseTimeout + ", idle="
                + v.idleTimeout + ", redirects=" + v.maxRedirects + ", protocols=" + Arrays.toString(v.protocols)
                + ", retries=" + v.maxRetries + ", truncateAt=" + v.truncateAt + ", maxSize=" + v.maxSize + "]";
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

    private HttpSettings with(Consumer<Settings> change) {
        return new HttpSettings(settings.with(change));
    }

    private static final class Settings extends Values<Settings> {
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
    }
}
