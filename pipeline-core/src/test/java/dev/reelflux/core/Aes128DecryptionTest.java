package dev.reelflux.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Aes128DecryptionTest {

    private static final byte[] KEY = random(16, 1);
    private static final byte[] IV = random(16, 2);
    private static final URI SEGMENT = URI.create("http://cdn.example.com/seg7.ts");

    private final BufferPool pool = new BufferPool(1024, 8);

    @AfterEach
    void everyChunkClosed() {
        assertThat(pool.outstanding()).as("chunks not closed").isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 17, 1000, 1024})
    void chunksInOfAnySizeGiveThePlainBytesInOrderFromOffsetZero(int chunkSize) throws Exception {
        // Lengths below a block, at one, between blocks, and of whole blocks (where the padding is a block of its own).
        for (int plainLength : new int[] {0, 1, 15, 16, 17, 32, 1000, 4096}) {
            byte[] plain = random(plainLength, plainLength);
            assertThat(joined(whole(chunks(encrypt(plain, KEY), chunkSize), KEY), 0))
                    .as("%d bytes in chunks of %d", plainLength, chunkSize).isEqualTo(plain);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 32, 4000, 4096, 8000})
    void partsOnBlocksDecryptFromTheBlockBeforeThemAndOnlyTheLastTakesThePadding(int partSize) throws Exception {
        byte[] plain = random(10_000, 6);
        byte[] encrypted = encrypt(plain, KEY);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int at = 0; at < encrypted.length; at += partSize) {
            int end = Math.min(encrypted.length, at + partSize);
            boolean last = end == encrypted.length;
            // A part after the first brings the ciphertext block before it, as its IV.
            int from = at == 0 ? 0 : at - 16;
            Flux<Chunk> part = chunks(Arrays.copyOfRange(encrypted, from, end), 1000);
            joined.writeBytes(joined(Aes128Decryption.decrypt(part, KEY, at == 0 ? IV : null,
                    bytes -> Mono.just(last), pool, SEGMENT, at), at));
        }
        assertThat(joined.toByteArray()).isEqualTo(plain);
    }

    @Test
    void bytesThatDoNotDecryptFailTypedWithEveryChunkClosed() throws Exception {
        byte[] encrypted = encrypt(random(5000, 3), KEY);
        byte[] wrongKey = random(16, 4);

        assertThatThrownBy(() -> whole(chunks(Arrays.copyOf(encrypted, 4999), 700), KEY).doOnNext(Chunk::close)
                .blockLast())
                .isInstanceOf(PlaylistException.class).hasMessageContaining("seg7.ts")
                .hasMessageContaining("AES-128 decryption failed: the part's 4999 bytes are no whole number");
        // A wrong key decrypts to garbage whose padding, at the end, does not check out.
        assertThatThrownBy(() -> whole(chunks(encrypted, 700), wrongKey).doOnNext(Chunk::close).blockLast())
                .isInstanceOf(PlaylistException.class).hasMessageContaining("AES-128 decryption failed: bad padding");
    }

    @Test
    void aSegmentOfUnknownSizeThatEndedWithThePartBeforeFailsRatherThanKeepItsPadding() {
        // All a part brought is the block before it, and it reached the end: the part before held the padding.
        assertThatThrownBy(() -> Aes128Decryption.decrypt(chunks(random(16, 7), 16), KEY, null,
                bytes -> Mono.just(true), pool, SEGMENT, 4096).blockLast())
                .isInstanceOf(PlaylistException.class).hasMessageContaining("its padding went on");
    }

    @Test
    void aReadCancelledHalfWayLeavesNoChunkOpen() throws Exception {
        byte[] encrypted = encrypt(random(10_000, 5), KEY);

        List<Chunk> taken = whole(chunks(encrypted, 1000), KEY).take(3).collectList().block();
        assertThat(taken).hasSize(3);
        taken.forEach(Chunk::close);
    }

    /** A whole segment's decryption: its first block's IV given, the padding at its end. */
    private Flux<Chunk> whole(Flux<Chunk> encrypted, byte[] key) {
        return Aes128Decryption.decrypt(encrypted, key, IV, bytes -> Mono.just(true), pool, SEGMENT, 0);
    }

    /** The bytes of {@code chunks} joined, each chunk checked to follow on from {@code offset}, and closed. */
    private static byte[] joined(Flux<Chunk> chunks, long offset) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Chunk chunk : chunks.collectList().block()) {
            try (chunk) {
                assertThat(chunk.offset()).as("a chunk's offset").isEqualTo(offset + joined.size());
                byte[] bytes = new byte[chunk.remaining()];
                chunk.data().get(bytes);
                joined.writeBytes(bytes);
            }
        }
        return joined.toByteArray();
    }

    /** {@code bytes} in chunks of {@code size} from the pool, each made only when asked for. */
    private Flux<Chunk> chunks(byte[] bytes, int size) {
        return Flux.range(0, (bytes.length + size - 1) / size).map(i -> {
            int from = i * size;
            return pool.copyOf(ByteBuffer.wrap(bytes, from, Math.min(size, bytes.length - from)), from);
        });
    }

    private static byte[] encrypt(byte[] plain, byte[] key) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(IV));
        return cipher.doFinal(plain);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
