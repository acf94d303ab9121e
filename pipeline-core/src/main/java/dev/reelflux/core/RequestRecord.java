package dev.reelflux.core;

import java.net.URI;

/**
 * What one HTTP request of a transfer cost. Times are nanoseconds measured from when the request was started.
 *
 * @param uri the URL asked (after redirects: the one that answered)
 * @param offset first byte asked for
 * @param length bytes asked for, or {@link ByteSource#TO_END}
 * @param attempt 1 for the first request of a read, 2 and up for resumes after a failure
 * @param status HTTP status, or 0 when no response came
 * @param protocol {@code "HTTP/1.1"}, {@code "HTTP/2.0"}, or {@code null} when no response came
 * @param connectionId the TCP connection the request went over, unique in this process (HTTP/2 streams share their
 *                     connection's), or -1 when no response came
 * @param connectNanos DNS lookup + TCP connect (+ TLS handshake) when this request opened a new connection, else 0
 * @param firstByteNanos until the response headers arrived, or -1 when they did not
 * @param bytes body bytes delivered downstream by this request (skipped bytes not counted)
 * @param durationNanos until the request ended
 * @param outcome how it ended
 * @param error the failure, when {@code outcome} is {@link Outcome#FAILED}
 */
public record RequestRecord(URI uri, long offset, long length, int attempt, int status, String protocol,
                            long connectionId, long connectNanos, long firstByteNanos, long bytes, long durationNanos,
                            Outcome outcome, Throwable error) {

    /** How a request ended. */
    public enum Outcome { COMPLETED, CANCELLED, FAILED }
}
