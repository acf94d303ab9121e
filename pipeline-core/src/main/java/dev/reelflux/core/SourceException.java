package dev.reelflux.core;

import java.net.URI;

/**
 * A {@link ByteSource} could not deliver its bytes. The message names the URI (when there is one: a malformed URL has
 * none) and the cause.
 */
public class SourceException extends ReelfluxException {

    private final URI uri;

    public SourceException(String stage, URI uri, String message, Throwable cause) {
        super(stage, uri == null ? message : uri + ": " + message, cause);
        this.uri = uri;
    }

    public URI uri() {
        return uri;
    }
}
