package dev.reelflux.core;

import java.net.URI;

/** No connection could be made: the host name did not resolve, the connection was refused, or connecting took longer than the connect timeout. */
public class ConnectFailedException extends SourceException {

    public ConnectFailedException(String stage, URI uri, String message, Throwable cause) {
        super(stage, uri, message, cause);
    }
}
