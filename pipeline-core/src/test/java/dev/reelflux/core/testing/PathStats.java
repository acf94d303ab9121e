package dev.reelflux.core.testing;

import java.util.List;

/**
 * A snapshot of what a {@link TestHttpServer} did for one path.
 *
 * @param requests          the requests for the path in arrival order (immutable)
 * @param bytesSent         body bytes handed to Netty for all of them; this stops growing when clients stop reading,
 *                          because bodies are produced only as the connection drains
 * @param connectionsOpened TCP connections the whole server had accepted when the snapshot was taken (same value as
 *                          {@link TestHttpServer#connectionsOpened()}; HTTP/2 streams are not connections)
 */
public record PathStats(List<RequestLog> requests, long bytesSent, long connectionsOpened) {

    /**
     * Copies the request list, so the snapshot cannot change under its reader.
     *
     * @param requests          the requests for the path in arrival order
     * @param bytesSent         body bytes handed to Netty for all of them
     * @param connectionsOpened TCP connections the server had accepted
     */
    public PathStats {
        requests = List.copyOf(requests);
    }
}
