package dev.reelflux.core.internal;

import dev.reelflux.core.ConnectFailedException;
import dev.reelflux.core.HttpStatusException;
import dev.reelflux.core.ReelfluxException;
import dev.reelflux.core.ResponseTimeoutException;
import dev.reelflux.core.SourceException;
import io.netty.handler.timeout.ReadTimeoutException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/** Sorts the failures Reactor Netty and the JDK raise into retryable ones and reelflux's typed exceptions. */
public final class HttpErrors {

    private HttpErrors() {
    }

    /** The body ended (cleanly, as far as the transport knows) before the bytes the response announced. */
    public static final class PrematureEnd extends IOException {
        public PrematureEnd(long position, long expectedEnd) {
            super("body ended at byte " + position + ", expected " + expectedEnd);
        }
    }

    /**
     * Whether asking again from the next missing byte may succeed: a connection broken after it was established, or
     * a gateway answering 502/503/504. Failures to connect at all are not transient: they fail fast.
     */
    public static boolean isTransient(Throwable e) {
        if (e instanceof HttpStatusException status) {
            return status.status() == 502 || status.status() == 503 || status.status() == 504;
        }
        return e instanceof IOException && !isConnectFailure(e);
    }

    private static boolean isConnectFailure(Throwable e) {
        return e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof NoRouteToHostException || e instanceof SSLException;
    }

    /** {@code e} as a typed exception of {@code stage} naming {@code uri}; typed exceptions pass through. */
    public static ReelfluxException toSourceException(String stage, URI uri, Throwable e, long position) {
        if (e instanceof ReelfluxException typed) {
            return typed;
        }
        if (e instanceof UnknownHostException) {
            return new ConnectFailedException(stage, uri, "cannot resolve host " + uri.getHost(), e);
        }
        if (e instanceof SSLException) {
            return new ConnectFailedException(stage, uri, "TLS handshake failed: " + e.getMessage(), e);
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return new ConnectFailedException(stage, uri, "cannot connect: " + e.getMessage(), e);
        }
        if (e instanceof ReadTimeoutException) {
            return new ResponseTimeoutException(stage, uri, "no response headers within the response timeout", e);
        }
        return new SourceException(stage, uri, "failed at byte " + position + ": " + e, e);
    }
}
