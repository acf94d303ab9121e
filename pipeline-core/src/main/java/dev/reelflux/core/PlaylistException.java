package dev.reelflux.core;

import java.net.URI;

/**
 * An HLS playlist that cannot be followed: malformed, without segments, or asking for what reelflux does not read
 * (SAMPLE-AES and DRM key systems: {@link UnsupportedEncryptionException}). Never retried.
 */
public class PlaylistException extends SourceException {

    public PlaylistException(String stage, URI uri, String message, Throwable cause) {
        super(stage, uri, message, cause);
    }
}
