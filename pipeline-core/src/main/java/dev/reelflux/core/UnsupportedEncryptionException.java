package dev.reelflux.core;

import java.net.URI;

/**
 * HLS segments encrypted with what reelflux does not decrypt: SAMPLE-AES and DRM key systems (reelflux decrypts
 * AES-128 only). A decoder reports it as its own unsupported-media error; never retried.
 */
public class UnsupportedEncryptionException extends PlaylistException {

    public UnsupportedEncryptionException(String stage, URI uri, String message) {
        super(stage, uri, message, null);
    }
}
