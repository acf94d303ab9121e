package dev.reelflux.core.testing;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The bytes a {@link TestHttpServer} serves on a path: an in-memory array, a file, or synthetic bytes computed from
 * their position, so a 200 MB body costs no memory.
 *
 * <p>Immutable and safe to share between servers and threads. Any byte range can be read at any time
 * ({@link #read(long, ByteBuffer)}, {@link #bytes(long, int)}), which is how the server answers {@code Range} requests
 * and how a test checks what a client received.
 */
public abstract sealed class Content permits BytesContent, FileContent, SyntheticContent {

    private static final int DIGEST_CHUNK = 64 * 1024;

    private volatile String sha256;

    Content() {
    }

    /**
     * Content backed by a copy of {@code bytes} (later changes to the array do not show).
     *
     * @param bytes the body
     * @return the content
     */
    public static Content of(byte[] bytes) {
        return new BytesContent(bytes.clone());
    }

    /**
     * Content read from {@code file} on demand. The size is taken now; the file must not change while it is served.
     *
     * @param file a readable regular file
     * @return the content
     * @throws IllegalArgumentException when {@code file} is not a regular file
     * @throws java.io.UncheckedIOException when its size cannot be read
     */
    public static Content of(Path file) {
        return new FileContent(file);
    }

    /**
     * Deterministic pseudo-random bytes, computed from their position (seed 0).
     *
     * @param size the body size in bytes
     * @return the content
     * @see #synthetic(long, long)
     */
    public static Content synthetic(long size) {
        return synthetic(size, 0);
    }

    /**
     * Deterministic pseudo-random bytes, computed from their position and {@code seed}: the same size and seed always
     * give the same bytes, different seeds give unrelated bytes. Reading costs about as much as copying memory.
     *
     * @param size the body size in bytes, {@code >= 0}
     * @param seed selects the byte sequence
     * @return the content
     */
    public static Content synthetic(long size, long seed) {
        return new SyntheticContent(size, seed);
    }

    /**
     * The body size.
     *
     * @return the size in bytes
     */
    public abstract long size();

    /**
     * Fills {@code target} from its position to its limit with the bytes at {@code offset, offset + 1, ...} and moves its
     * position to its limit.
     *
     * @param offset the position of the first byte to read
     * @param target heap or direct buffer; its byte order is irrelevant and left unchanged
     * @throws IndexOutOfBoundsException when the range is not inside {@code [0, size())}
     * @throws java.io.UncheckedIOException when a file cannot be read
     */
    public final void read(long offset, ByteBuffer target) {
        Objects.checkFromIndexSize(offset, target.remaining(), size());
        readChecked(offset, target);
    }

    /**
     * Copies a byte range into a new array.
     *
     * @param offset the position of the first byte
     * @param length how many bytes
     * @return the bytes {@code [offset, offset + length)}
     * @throws IndexOutOfBoundsException when the range is not inside {@code [0, size())}
     */
    public final byte[] bytes(long offset, int length) {
        byte[] bytes = new byte[length];
        read(offset, ByteBuffer.wrap(bytes));
        return bytes;
    }

    /**
     * The SHA-256 of the whole body, computed on first use (about a second per GB) and then remembered.
     *
     * @return lower-case hex
     */
    public final String sha256() {
        String hex = sha256;
        if (hex == null) {
            hex = digest();
            sha256 = hex;
        }
        return hex;
    }

    /**
     * Does the work of {@link #read(long, ByteBuffer)} once the range is known to be valid.
     */
    abstract void readChecked(long offset, ByteBuffer target);

    private String digest() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        ByteBuffer chunk = ByteBuffer.allocate(DIGEST_CHUNK);
        for (long offset = 0; offset < size(); offset += chunk.capacity()) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), size() - offset));
            read(offset, chunk);
            digest.update(chunk.flip());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
