package dev.reelflux.core.internal;

import dev.reelflux.core.AddressPolicy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import reactor.netty.Connection;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Builds the Reactor Netty clients behind {@code HttpSettings}, and reads what they record on connections. */
public final class HttpClients {

    private static final AttributeKey<Long> CONNECTED_AT = AttributeKey.valueOf("reelflux.connectedAt");
    private static final AttributeKey<Long> CONNECTION_ID = AttributeKey.valueOf("reelflux.connectionId");
    private static final AtomicLong CONNECTIONS = new AtomicLong();

    private static volatile ConnectionProvider sharedPool;

    private HttpClients() {
    }

    /** The reelflux-wide keep-alive pool, created on first use and never disposed (like Reactor Netty's own). */
    public static ConnectionProvider sharedPool() {
        ConnectionProvider pool = sharedPool;
        if (pool == null) {
            synchronized (HttpClients.class) {
                pool = sharedPool;
                if (pool == null) {
                    pool = ConnectionProvider.builder("reelflux")
                            .maxConnections(512)
                            .pendingAcquireMaxCount(-1)
                            .maxIdleTime(Duration.ofSeconds(30))
                            .build();
                    sharedPool = pool;
                }
            }
        }
        return pool;
    }

    public static HttpClient build(ConnectionProvider pool, Duration connectTimeout, Duration responseTimeout,
                                   HttpProtocol[] protocols, SslContext sslContext, AddressPolicy policy,
                                   boolean metrics) {
        HttpClient client = HttpClient.create(pool == null ? sharedPool() : pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .responseTimeout(responseTimeout)
                .protocol(protocols)
                .keepAlive(true)
                // Redirects are followed by HttpSource itself, to bound them, detect loops and remember the target.
                .followRedirect(false)
                // Once per TCP connection: an HTTP/2 stream also passes here, and finds its connection's facts set.
                .doOnConnected(connection -> {
                    Channel tcp = root(connection);
                    if (tcp.attr(CONNECTED_AT).setIfAbsent(System.nanoTime()) == null) {
                        tcp.attr(CONNECTION_ID).set(CONNECTIONS.incrementAndGet());
                    }
                });
        if (sslContext != null) {
            client = client.secure(spec -> spec.sslContext(sslContext));
        }
        if (policy.restricts()) {
            client = client.resolver(PolicedResolver.group(policy));
        }
        if (metrics) {
            // One URI tag for all: every clip has a URL of its own, and the remote address is a tag already.
            client = client.metrics(true, uri -> "/");
        }
        return client;
    }

    /** When {@code connection}'s TCP connection was established ({@code System.nanoTime()}), or -1 if unknown. */
    public static long connectedAt(Connection connection) {
        return recorded(connection, CONNECTED_AT);
    }

    /**
     * A number for {@code connection}'s TCP connection, the same for every request over it, unique in the process,
     * or -1 if unknown.
     */
    public static long connectionId(Connection connection) {
        return recorded(connection, CONNECTION_ID);
    }

    private static long recorded(Connection connection, AttributeKey<Long> key) {
        Long value = root(connection).attr(key).get();
        return value == null ? -1 : value;
    }

    /** An HTTP/2 stream is a child channel; connection facts live on its parent. */
    private static Channel root(Connection connection) {
        Channel channel = connection.channel();
        return channel.parent() != null ? channel.parent() : channel;
    }
}
