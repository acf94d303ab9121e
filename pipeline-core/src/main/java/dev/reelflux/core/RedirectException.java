package dev.reelflux.core;

import java.net.URI;

/** A redirect could not be followed: too many hops, a loop, or a missing or bad Location. */
public class RedirectException extends SourceException {

    public RedirectException(String stage, URI uri, String message, Throwable cause) {
        super(stage, uri, message, cause);
    }
}
