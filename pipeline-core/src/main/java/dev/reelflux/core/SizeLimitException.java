package dev.reelflux.core;

import java.net.URI;

/** The content is larger than the configured maximum size. */
public class SizeLimitException extends SourceException {

    public SizeLimitException(String stage, URI uri, String message, Throwable cause) {
        super(stage, uri, message, cause);
    }
}
