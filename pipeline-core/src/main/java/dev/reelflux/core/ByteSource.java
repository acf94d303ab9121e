package dev.reelflux.core;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;

/**
 * A readable run of bytes, such as a video behind a URL or a file, read in ranges.
 *
 * <p>{@link #read} is cold: each subscription starts a new read. The returned flux
 * <ul>
 *   <li>emits {@link Chunk}s in order, together covering {@code [offset, offset + length)} exactly (or up to the end of
 *       the content when {@code length} is {@link #TO_END});</li>
 *   <li>backpressures: bytes are taken from the underlying socket or file only as fast as the subscriber requests
 *       chunks, so an idle subscriber holds at most a few buffers;</li>
 *   <li>completes after the last byte of the range;</li>
 *   <li>on cancel stops reading, closes the chunks it still holds and frees the connection or file handle.</li>
 * </ul>
 * The subscriber owns each emitted chunk and must close it.
 */
public interface ByteSource {

    /** {@link #read}'s {@code length} for "up to the end". */
    long TO_END = -1;

    /** {@link SourceInfo#size()} when the size is not known. */
    long UNKNOWN_SIZE = -1;

    /**
     * Reads {@code length} bytes starting at {@code offset}.
     *
     * @param offset first byte, {@code >= 0}
     * @param length bytes to read, or {@link #TO_END}
     */
    Flux<Chunk> read(long offset, long length);

    /**
     * Size and range support. Known without I/O for files; for HTTP learned from the first response (a one-byte
     * ranged request is made if nothing was read yet) and cached.
     */
    Mono<SourceInfo> info();

    /** Where the bytes come from, for error messages and reports. */
    URI uri();

    /**
     * The source for {@code uri}: for http and https, an {@link HlsSource} when the path ends in {@code .m3u8}, else
     * the bytes of the file read with {@code settings} (through a {@link ParallelSource} when
     * {@link HttpSettings#connections()} is above 1), unless the first response turns out to be an HLS playlist (by
     * its content type or its first line; paths that name a video file, {@code .mp4} and the like, are not
     * checked); a {@link FileSource} for {@code file:}.
     *
     * @throws InvalidSourceException for any other scheme or a URI without one
     */
    static ByteSource open(URI uri, HttpSettings settings) {
        String scheme = uri.getScheme();
        if ("file".equalsIgnoreCase(scheme)) {
            return FileSource.of(uri);
        }
        if ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) {
            return SniffedSource.open(uri, settings);
        }
        throw new InvalidSourceException("source", uri, "unsupported scheme: only http, https and file", null);
    }
}
