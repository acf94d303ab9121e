package dev.reelflux.core;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * The AES-128 decryption ({@code EXT-X-KEY:METHOD=AES-128}: CBC, PKCS#7 padding) of one part of a segment, with the
 * JDK's own cipher, as its bytes arrive: each chunk in gives the plain bytes it completes. CBC needs only the
 * ciphertext block before a block, so a part that does not start the segment brings that block first, as its IV. The
 * padding is taken off (and checked) by hand, only by the part that ends the segment, so the last plain block is held
 * back until the part's end tells whether it is the segment's. Not thread-safe: a part's chunks arrive one at a time.
 */
final class Aes128Decryption {

    static final int BLOCK = 16;

    private final byte[] key;
    private final BufferPool pool;
    private final URI segment;
    private final byte[] iv = new byte[BLOCK];
    private final boolean ivInStream;
    private int ivFilled;
    private Cipher cipher;
    private long encryptedSeen;
    private long plainOffset;
    // The JDK's cipher makes a heap array per call for direct buffers: arrays kept for the part make no garbage.
    private byte[] in = new byte[0];
    // The plain block held back first, then what the cipher gives.
    private byte[] out = new byte[2 * BLOCK];
    private boolean holding;

    private Aes128Decryption(byte[] key, byte[] iv, BufferPool pool, URI segment, long plainOffset) {
        this.key = key;
        this.pool = pool;
        this.segment = segment;
        this.plainOffset = plainOffset;
        ivInStream = iv == null;
        if (iv != null) {
            System.arraycopy(iv, 0, this.iv, 0, BLOCK);
            ivFilled = BLOCK;
        }
    }

    /**
     * The plain bytes of {@code encrypted}, in chunks from {@code pool} at offsets from {@code plainOffset}; each chunk
     * in is closed once decrypted.
     *
     * @param iv           the part's IV, or null when {@code encrypted} starts with it (the ciphertext block before
     *                     the part)
     * @param endsSegment  told how many bytes {@code encrypted} had, once it completes: whether they reached the
     *                     segment's end, where the padding is
     * @return the plain bytes; errors: {@link PlaylistException} when the bytes do not decrypt (a length that is no
     * whole number of blocks, bad padding), found at the part's end, after the bytes before it: a wrong key gives
     * garbage, which a demuxer may reject first
     */
    static Flux<Chunk> decrypt(Flux<Chunk> encrypted, byte[] key, byte[] iv, LongFunction<Mono<Boolean>> endsSegment,
                               BufferPool pool, URI segment, long plainOffset) {
        return Flux.defer(() -> {
            Aes128Decryption decryption = new Aes128Decryption(key, iv, pool, segment, plainOffset);
            return encrypted.<Chunk>handle((chunk, sink) -> {
                try (chunk) {
                    Chunk plain = decryption.next(chunk.data());
                    if (plain != null) {
                        sink.next(plain);
                    }
                }
            }).concatWith(Mono.defer(() -> endsSegment.apply(decryption.encryptedSeen)).mapNotNull(decryption::end));
        });
    }

    /** The plain bytes {@code encrypted} completes, less the last block, held back; null when none. */
    private Chunk next(ByteBuffer encrypted) {
        encryptedSeen += encrypted.remaining();
        if (ivFilled < BLOCK) {
            int n = Math.min(BLOCK - ivFilled, encrypted.remaining());
            encrypted.get(iv, ivFilled, n);
            ivFilled += n;
        }
        if (ivFilled < BLOCK || !encrypted.hasRemaining()) {
            return null;
        }
        int length = encrypted.remaining();
        if (in.length < length) {
            in = new byte[length];
            // Held block (kept), then at most the bytes in and the partial block the cipher kept from the call before.
            out = Arrays.copyOf(out, length + 2 * BLOCK);
        }
        encrypted.get(in, 0, length);
        int plainLength;
        try {
            plainLength = cipher().update(in, 0, length, out, BLOCK);
        } catch (GeneralSecurityException e) {
            throw failed(e.getMessage(), e);
        }
        if (plainLength == 0) {
            return null;
        }
        // Out holds [held block][plain bytes]: all but the last block go on, and the last is held in its place.
        int from = holding ? 0 : BLOCK;
        holding = true;
        Chunk chunk = plainLength > from ? plain(out, from, plainLength - from) : null;
        System.arraycopy(out, plainLength, out, 0, BLOCK);
        return chunk;
    }

    /** The block held back, its padding off when {@code endsSegment}; null when nothing is left. */
    private Chunk end(boolean endsSegment) {
        if (ivFilled < BLOCK) {
            throw failed("the part brought " + encryptedSeen + " bytes, not even the block before it", null);
        }
        if (encryptedSeen % BLOCK != 0) {
            throw failed("the part's " + encryptedSeen + " bytes are no whole number of 16-byte blocks", null);
        }
        if (!holding && ivInStream && endsSegment) {
            // A part with nothing after the block before it: the segment ended with the part before, which could not
            // tell (its size unknown) and let its last block, padding and all, go on.
            throw failed("the segment ended where a part began, its size unknown: its padding went on", null);
        }
        if (!holding) {
            return null;
        }
        int length = BLOCK;
        if (endsSegment) {
            length -= padding();
        }
        return length > 0 ? plain(out, 0, length) : null;
    }

    /** The PKCS#7 padding's length, checked, at the end of the block held. */
    private int padding() {
        int padding = out[BLOCK - 1] & 0xff;
        boolean valid = padding >= 1 && padding <= BLOCK;
        for (int i = BLOCK - padding; valid && i < BLOCK; i++) {
            valid = out[i] == out[BLOCK - 1];
        }
        if (!valid) {
            throw failed("bad padding (a wrong key?)", null);
        }
        return padding;
    }

    private Cipher cipher() throws GeneralSecurityException {
        if (cipher == null) {
            cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        }
        return cipher;
    }

    private Chunk plain(byte[] bytes, int from, int length) {
        // Pooled unless a chunk in was within two blocks of the pool's buffer size: then a buffer made for it, as
        // HttpSource does for a chunk longer than the pool's buffers.
        ByteBuffer buffer = pool.acquire(length);
        buffer.put(bytes, from, length).flip();
        Chunk chunk = pool.wrap(buffer, plainOffset);
        plainOffset += length;
        return chunk;
    }

    private PlaylistException failed(String why, Exception cause) {
        return new PlaylistException(HlsSource.STAGE, segment, "AES-128 decryption failed: " + why, cause);
    }
}
