package dev.reelflux.core;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * One HLS segment's AES-128 decryption ({@code EXT-X-KEY:METHOD=AES-128}: CBC, PKCS#7 padding) with the JDK's own
 * cipher, as its bytes arrive: each chunk in gives the plain bytes it completes (CBC needs only the block before), and
 * the padding comes off at the end. A segment is never held whole, and its first bytes go on to the decoder while the
 * rest is on the way. Not thread-safe: one segment's chunks arrive one at a time.
 */
final class Aes128Decryption {

    private static final int BLOCK = 16;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final Cipher cipher;
    private final BufferPool pool;
    private final URI segment;
    private long plainOffset;
    // The JDK's cipher makes a heap array per call for direct buffers: arrays kept for the segment make no garbage.
    private byte[] in = new byte[0];
    private byte[] out = new byte[2 * BLOCK];

    private Aes128Decryption(byte[] key, byte[] iv, BufferPool pool, URI segment) throws GeneralSecurityException {
        this.cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        this.pool = pool;
        this.segment = segment;
    }

    /**
     * The plain bytes of {@code encrypted}, at offsets from 0, in chunks from {@code pool}; each chunk in is closed
     * once decrypted. Errors: {@link PlaylistException} when the bytes do not decrypt (a length that is no multiple of
     * the block, bad padding), found at the segment's end, after the bytes before it: a wrong key gives garbage, which
     * a demuxer may reject first.
     */
    static Flux<Chunk> decrypt(Flux<Chunk> encrypted, byte[] key, byte[] iv, BufferPool pool, URI segment) {
        return Flux.defer(() -> {
            Aes128Decryption decryption;
            try {
                decryption = new Aes128Decryption(key, iv, pool, segment);
            } catch (GeneralSecurityException e) {
                return Flux.error(failed(segment, e));
            }
            return encrypted.<Chunk>handle((chunk, sink) -> {
                try (chunk) {
                    Chunk plain = decryption.next(chunk.data(), false);
                    if (plain != null) {
                        sink.next(plain);
                    }
                }
            }).concatWith(Mono.fromCallable(() -> decryption.next(NOTHING.duplicate(), true)));
        });
    }

    /** The plain bytes {@code encrypted} completes, the padding off when {@code last}; null when none. */
    private Chunk next(ByteBuffer encrypted, boolean last) {
        int length = encrypted.remaining();
        if (in.length < length) {
            in = new byte[length];
            // A call gives back at most the bytes in and the fewer than two blocks the cipher held back before.
            out = new byte[length + 2 * BLOCK];
        }
        encrypted.get(in, 0, length);
        int plainLength;
        try {
            plainLength = last ? cipher.doFinal(in, 0, length, out, 0) : cipher.update(in, 0, length, out, 0);
        } catch (GeneralSecurityException e) {
            throw failed(segment, e);
        }
        if (plainLength == 0) {
            return null;
        }
        // Pooled unless a chunk in was within a block of the pool's buffer size: then a buffer made for it, as
        // HttpSource does for a chunk longer than the pool's buffers.
        ByteBuffer plain = pool.acquire(plainLength);
        plain.put(out, 0, plainLength).flip();
        Chunk chunk = pool.wrap(plain, plainOffset);
        plainOffset += plainLength;
        return chunk;
    }

    private static PlaylistException failed(URI segment, GeneralSecurityException e) {
        return new PlaylistException(HlsSource.STAGE, segment, "AES-128 decryption failed: " + e.getMessage(), e);
    }
}
