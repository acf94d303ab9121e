package dev.reelflux.core;

import java.net.URI;

/** A {@link ByteSource} could not deliver its bytes. The message names the URI and the cause. */
public class SourceException extends ReelfluxException {

    private final URI uri;

    public SourceException(String stage, URI uri, String message, Throwable cause) {
        super(stage, uri + ": " + message, cause);
        this.uri = uri;
    }

    public URI uri() {
        return uri;
    }
}
