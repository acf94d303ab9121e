package dev.reelflux.core;

import java.net.URI;

/** The location is not usable: a malformed URL, an unsupported scheme, a missing file. */
public class InvalidSourceException extends SourceException {

    public InvalidSourceException(String stage, URI uri, String message, Throwable cause) {
        super(stage, uri, message, cause);
    }
}
