package dev.reelflux.core;

import java.net.URI;

/** The read needs byte ranges (a resume after a reset) and the server does not serve them. */
public class RangeNotSupportedException extends SourceException {

    public RangeNotSupportedException(String stage, URI uri, String message, Throwable cause) {
        super(stage, uri, message, cause);
    }
}
