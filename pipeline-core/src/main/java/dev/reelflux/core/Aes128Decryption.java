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

    private final Cipher cipher;
    private final BufferPool pool;
    private final URI segment;
    private long plainOffset;

    private Aes128Decryption(byte[] key, byte[] iv, BufferPool pool, URI segment) throws GeneralSecurityException {
        this.cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        this.pool = pool;
        this.segment = segment;
    }

    /**
     * The plain bytes of {@code encrypted}, at offsets from 0, in chunks from {@code pool}; each chunk in is closed
     * once decrypted. Errors: {@link PlaylistException} when the bytes do not decrypt with this key (a length that is
     * no multiple of the block, bad padding).
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
            }).concatWith(Mono.fromCallable(() -> decryption.next(ByteBuffer.allocate(0), true)));
        });
    }

    /** The plain bytes {@code encrypted} completes, the padding off when {@code last}; null when none. */
    private Chunk next(ByteBuffer encrypted, boolean last) {
        ByteBuffer plain = pool.acquire(cipher.getOutputSize(encrypted.remaining()));
        int length;
        try {
            length = last ? cipher.doFinal(encrypted, plain) : cipher.update(encrypted, plain);
        } catch (GeneralSecurityException e) {
            pool.release(plain);
            throw failed(segment, e);
        }
        if (length == 0) {
            pool.release(plain);
            return null;
        }
        Chunk chunk = pool.wrap(plain.flip(), plainOffset);
        plainOffset += length;
        return chunk;
    }

    private static PlaylistException failed(URI segment, GeneralSecurityException e) {
        return new PlaylistException(HlsSource.STAGE, segment, "AES-128 decryption failed: " + e.getMessage(), e);
    }
}
