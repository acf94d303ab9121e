package dev.reelflux.core;

import java.net.URI;

/**
 * The {@link AddressPolicy} of the settings refused every address the host resolved to, so no connection was made.
 * Raised where the connection is made, for every request of a read (the first, each redirect hop, each ranged segment,
 * each resume), never retried.
 */
public class AddressRefusedException extends SourceException {

    public AddressRefusedException(String stage, URI uri, String message, Throwable cause) {
        super(stage, uri, message, cause);
    }
}
