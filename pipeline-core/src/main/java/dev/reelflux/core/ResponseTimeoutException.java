package dev.reelflux.core;

import java.net.URI;

/** The server accepted the request but sent no response headers within the response timeout. */
public class ResponseTimeoutException extends SourceException {

    public ResponseTimeoutException(String stage, URI uri, String message, Throwable cause) {
        super(stage, uri, message, cause);
    }
}
