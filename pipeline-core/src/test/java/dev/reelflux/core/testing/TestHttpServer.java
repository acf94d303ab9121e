package dev.reelflux.core.testing;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

/**
 * An in-process HTTP server for tests and benchmarks that serves {@link Content} with range support and can be told
 * to misbehave ({@link Fault}) and to be slow ({@link #shape(long, Duration)}).
 *
 * <p>Lifecycle: {@link #start()} binds an ephemeral port on 127.0.0.1 and returns a running server; every method may
 * then be called from any thread at any time, and a change applies to requests that arrive afterwards (a rate change
 * also to bodies being sent). {@link #close()} stops it and closes every connection, stalled ones included. Use it
 * with try-with-resources:
 * <pre>{@code
 * try (TestHttpServer server = TestHttpServer.start()) {
 *     URI uri = server.serve("/clip.mp4", Content.synthetic(200 << 20));
 *     server.fault("/clip.mp4", Fault.resetAt(1 << 20).times(1));
 *     server.shape(10 << 20, Duration.ofMillis(50));
 *     // ... run the client against uri ...
 *     assertThat(server.stats("/clip.mp4").requests()).hasSize(2);
 * }
 * }</pre>
 *
 * <p>What a path answers: its {@link Fault} if one is installed and matches the request; else its content or redirect;
 * else 404. Only GET and HEAD are supported (405 otherwise). Content responses carry {@code Content-Length},
 * {@code Accept-Ranges: bytes} and {@code Content-Type: application/octet-stream} (or the type it was served as).
 * {@code Range: bytes=a-b}, {@code bytes=a-} and {@code bytes=-n} get a 206 with {@code Content-Range}; a range
 * starting past the end (or {@code bytes=-0}) gets a 416 with {@code Content-Range: bytes *}{@code /size}; a
 * multi-range or malformed header gets the whole body with 200. HTTP/1.1 connections are kept alive between
 * requests. Paths are matched exactly, without the query string; a path given without a leading {@code /} gets one.
 */
public final class TestHttpServer implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Protocol protocol;
    private final TlsMaterial tls;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, ArmedFault> faults = new ConcurrentHashMap<>();
    private final RequestJournal journal = new RequestJournal();
    private final AtomicLong connectionsOpened = new AtomicLong();
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final DisposableServer server;
    private volatile Shaping shaping = Shaping.NONE;

    private TestHttpServer(Protocol protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.tls = protocol == Protocol.H2_TLS ? TlsMaterial.shared() : null;
        HttpServer http = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                // Runs once per accepted TCP connection, never per HTTP/2 stream, unlike doOnConnection.
                .doOnChannelInit((observer, channel, remote) -> accept(channel))
                .handle(new RequestHandler(routes, faults, journal, () -> shaping));
        http = switch (protocol) {
            case HTTP11 -> http.protocol(HttpProtocol.HTTP11);
            case H2C -> http.protocol(HttpProtocol.HTTP11, HttpProtocol.H2C);
            case H2_TLS -> http.protocol(HttpProtocol.H2, HttpProtocol.HTTP11)
                    .secure(spec -> spec.sslContext(tls.serverSpec()));
        };
        this.server = http.bindNow();
    }

    /**
     * Starts an {@link Protocol#HTTP11} server.
     *
     * @return the running server
     */
    public static TestHttpServer start() {
        return start(Protocol.HTTP11);
    }

    /**
     * Starts a server speaking {@code protocol} on an ephemeral port of 127.0.0.1.
     *
     * @param protocol what the server speaks
     * @return the running server
     */
    public static TestHttpServer start(Protocol protocol) {
        return new TestHttpServer(protocol);
    }

    /**
     * Serves a copy of {@code content} at {@code path}, replacing what the path served before.
     *
     * @param path    the path, e.g. {@code /clip.mp4}
     * @param content the body
     * @return the full URI of the path
     */
    public URI serve(String path, byte[] content) {
        return serve(path, Content.of(content));
    }

    /**
     * Serves every file of {@code dir} (an HLS playlist and its segments, say) at {@code prefix} and its name.
     *
     * @param prefix the path before each file's name, e.g. {@code /hls/}
     * @param dir    a directory of readable regular files that do not change while served
     */
    public void serveAll(String prefix, Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(file -> serve(prefix + file.getFileName(), file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Serves {@code file} at {@code path}, read at each request, replacing what the path served before.
     *
     * @param path the path, e.g. {@code /clip.mp4}
     * @param file a readable regular file that does not change while served
     * @return the full URI of the path
     */
    public URI serve(String path, Path file) {
        return serve(path, Content.of(file));
    }

    /**
     * Serves {@code content} at {@code path}, replacing what the path served before.
     *
     * @param path    the path, e.g. {@code /clip.mp4}
     * @param content the body
     * @return the full URI of the path
     */
    public URI serve(String path, Content content) {
        return serve(path, content, "application/octet-stream");
    }

    /**
     * Serves {@code content} at {@code path} as {@code contentType}, replacing what the path served before.
     *
     * @param path        the path, e.g. {@code /live}
     * @param content     the body
     * @param contentType the {@code Content-Type} of its responses
     * @return the full URI of the path
     */
    public URI serve(String path, Content content, String contentType) {
        return route(path, new Route.Resource(Objects.requireNonNull(content, "content"),
                Objects.requireNonNull(contentType, "contentType")));
    }

    /**
     * Makes {@code path} answer {@code status} with {@code Location: location} and an empty body, replacing what the
     * path served before.
     *
     * @param path     the path that redirects
     * @param location the target, sent as given: absolute ({@code http://...}) or relative ({@code /other})
     * @param status   301, 302, 303, 307 or 308
     * @return the full URI of {@code path}
     */
    public URI redirect(String path, String location, int status) {
        if (!List.of(301, 302, 303, 307, 308).contains(status)) {
            throw new IllegalArgumentException("not a redirect status: " + status);
        }
        return route(path, new Route.Redirect(Objects.requireNonNull(location, "location"), status));
    }

    /**
     * Installs {@code fault} on {@code path}, replacing its previous fault and restarting its {@link Fault#times(int)}
     * count; {@link Fault#none()} clears it. The path need not serve anything (for {@link Fault#status(int)} and
     * {@link Fault#stallBeforeHeaders()}).
     *
     * @param path  the path
     * @param fault the fault
     */
    public void fault(String path, Fault fault) {
        String key = normalize(path);
        if (Objects.requireNonNull(fault, "fault").kind() == Fault.Kind.NONE) {
            faults.remove(key);
        } else {
            faults.put(key, new ArmedFault(fault));
        }
    }

    /**
     * Slows every response down: each body is paced at {@code bytesPerSecond} (token bucket, chunks of about 20 ms of
     * data between 1 KB and 64 KB), and the status line and headers wait {@code firstByteLatency}. The rate applies at
     * once, also to bodies being sent; the latency to requests that arrive afterwards.
     *
     * @param bytesPerSecond   body rate per response, 0 for unlimited
     * @param firstByteLatency delay before the headers, {@link Duration#ZERO} for none
     */
    public void shape(long bytesPerSecond, Duration firstByteLatency) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must be >= 0: " + bytesPerSecond);
        }
        if (Objects.requireNonNull(firstByteLatency, "firstByteLatency").isNegative()) {
            throw new IllegalArgumentException("firstByteLatency must be >= 0: " + firstByteLatency);
        }
        shaping = new Shaping(bytesPerSecond, firstByteLatency);
    }

    /**
     * The full URI of {@code path} on this server: {@code http://127.0.0.1:port/path}, or
     * {@code https://localhost:port/path} for {@link Protocol#H2_TLS} (the name the certificate is for).
     *
     * @param path the path; it must be a valid URI path without query or fragment
     * @return the URI
     */
    public URI uri(String path) {
        String authority = protocol == Protocol.H2_TLS ? "https://localhost:" : "http://127.0.0.1:";
        return URI.create(authority + server.port() + normalize(path));
    }

    /**
     * What the server did for {@code path} so far.
     *
     * @param path the path
     * @return a snapshot; empty when no request came for the path
     */
    public PathStats stats(String path) {
        return journal.stats(normalize(path), connectionsOpened.get());
    }

    /** The headers of each request that came for {@code path}, in arrival order, names in lower case. */
    public List<Map<String, String>> requestHeaders(String path) {
        return journal.headers(normalize(path));
    }

    /**
     * How many TCP connections the server has accepted since it started.
     *
     * @return the count
     */
    public long connectionsOpened() {
        return connectionsOpened.get();
    }

    /**
     * How many TCP connections are open now: kept-alive idle ones and those serving (or stalling) a response. A client
     * that gives up on a response must close its connection, so tests compare this before and after.
     *
     * @return the count
     */
    public int connectionsOpen() {
        return connections.size();
    }

    /**
     * A Netty client context that trusts this server's certificate, with ALPN offering {@code h2} and
     * {@code http/1.1}, e.g. for Reactor Netty's {@code HttpClient.secure(spec -> spec.sslContext(...))}.
     *
     * @return the context for {@link Protocol#H2_TLS}, {@code null} otherwise
     */
    public SslContext clientSslContext() {
        return tls == null ? null : tls.nettyClient;
    }

    /**
     * A JDK client context that trusts this server's certificate, for {@code java.net.http.HttpClient.newBuilder()
     * .sslContext(...)} (which negotiates h2 or HTTP/1.1 by ALPN itself).
     *
     * @return the context for {@link Protocol#H2_TLS}, {@code null} otherwise
     */
    public SSLContext jdkClientSslContext() {
        return tls == null ? null : tls.jdkClient;
    }

    /**
     * The server's self-signed certificate, for clients configured some other way.
     *
     * @return the certificate for {@link Protocol#H2_TLS}, {@code null} otherwise
     */
    public X509Certificate certificate() {
        return tls == null ? null : tls.certificate;
    }

    /**
     * Stops accepting connections and closes every open one at the socket, including stalled responses. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Aborted first, so that the server's graceful disposal does not wait for stalled responses; and again
        // after it, for a connection accepted meanwhile (one set up later still aborts itself: see accept).
        abortConnections();
        server.disposeNow(CLOSE_TIMEOUT);
        abortConnections();
    }

    private void abortConnections() {
        Flux.fromIterable(List.copyOf(connections))
                .flatMap(channel -> Connections.abort(channel, false))
                .blockLast(CLOSE_TIMEOUT);
    }

    @Override
    public String toString() {
        return "TestHttpServer(" + protocol + ", " + uri("/") + ")";
    }

    private void accept(Channel channel) {
        Connections.identify(channel, connectionsOpened.incrementAndGet());
        connections.add(channel);
        // A connection the boss accepted before close() but set up only after it would otherwise stay open: added
        // first and checked after, each channel is either in the group close() aborts or sees it closed here.
        if (closed.get()) {
            Connections.abort(channel, false).subscribe();
        }
    }

    private URI route(String path, Route route) {
        routes.put(normalize(path), route);
        return uri(path);
    }

    private static String normalize(String path) {
        Objects.requireNonNull(path, "path");
        if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
            throw new IllegalArgumentException("a path has no query or fragment: " + path);
        }
        return path.startsWith("/") ? path : "/" + path;
    }
}
