package dev.reelflux.core;

import java.net.URI;

/** The body stopped arriving: no byte came for the idle timeout while the subscriber was asking for more. */
public class StallException extends SourceException {

    public StallException(String stage, URI uri, String message, Throwable cause) {
        super(stage, uri, message, cause);
    }
}
