package dev.reelflux.core;

import java.net.URI;

/** The server answered with a range or length other than the one asked for or announced. */
public class ContentRangeException extends SourceException {

    public ContentRangeException(String stage, URI uri, String message, Throwable cause) {
        super(stage, uri, message, cause);
    }
}
