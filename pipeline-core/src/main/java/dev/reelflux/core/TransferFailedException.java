package dev.reelflux.core;

import java.net.URI;

/** The connection broke during the body, and resuming it failed or was not possible within the retry budget. */
public class TransferFailedException extends SourceException {

    public TransferFailedException(String stage, URI uri, String message, Throwable cause) {
        super(stage, uri, message, cause);
    }
}
