package dev.reelflux.core.testing;

/**
 * One request as a {@link TestHttpServer} saw and answered it, at the moment {@link TestHttpServer#stats(String)} took
 * the snapshot (a response still being written shows the bytes sent so far).
 *
 * @param method       the request method, e.g. {@code GET} or {@code HEAD}
 * @param path         the request path, without the query string
 * @param range        the raw {@code Range} header, or {@code null} when the request had none
 * @param status       the status code sent, or {@code 0} while no status line has been sent (first-byte latency still
 *                     running, or {@link Fault#stallBeforeHeaders()})
 * @param bytesSent    body bytes handed to Netty for this response so far
 * @param protocol     {@code "HTTP/1.1"} or {@code "HTTP/2.0"}
 * @param connectionId the server's id of the TCP connection that carried the request (1, 2, ... in accept order), so a
 *                     test can tell whether a client reused a connection
 */
public record RequestLog(
        String method, String path, String range, int status, long bytesSent, String protocol, long connectionId) {
}
