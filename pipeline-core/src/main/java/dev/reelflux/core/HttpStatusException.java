package dev.reelflux.core;

import java.net.URI;

/** The server answered with an error status (4xx or 5xx, or another status reelflux cannot use). */
public class HttpStatusException extends SourceException {

    private final int status;

    public HttpStatusException(String stage, URI uri, int status, String reason) {
        super(stage, uri, "HTTP " + status + (reason == null || reason.isEmpty() ? "" : " " + reason), null);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** A 4xx answer: asking again will not help. */
    public boolean isClientError() {
        return status >= 400 && status < 500;
    }
}
