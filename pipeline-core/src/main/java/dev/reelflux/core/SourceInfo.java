package dev.reelflux.core;

/**
 * What a {@link ByteSource} knows about its content.
 *
 * @param size total size in bytes, or {@link ByteSource#UNKNOWN_SIZE}
 * @param rangesSupported whether {@code read} at an offset fetches only the bytes asked for
 * @param contentType the media type the server declared, or {@code null}
 */
public record SourceInfo(long size, boolean rangesSupported, String contentType) {

    public boolean sizeKnown() {
        return size >= 0;
    }
}
