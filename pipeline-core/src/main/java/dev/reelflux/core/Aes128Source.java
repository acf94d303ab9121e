package dev.reelflux.core;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static dev.reelflux.core.Aes128Decryption.BLOCK;

/**
 * An AES-128 segment's plain bytes, read in parts as a clear segment is: a part that does not start the segment asks
 * for one block more in front, the ciphertext block its CBC decryption starts from ({@link Aes128Decryption}). Parts
 * must start on a block of the segment ({@link #blockAligned}). Offsets and sizes are the ciphertext's; the padding
 * makes the plain bytes up to a block shorter at the end.
 */
final class Aes128Source implements ByteSource {

    private final ByteSource encrypted;
    private final byte[] key;
    private final byte[] iv;
    private final long start;
    private final long end;
    private final BufferPool pool;

    /**
     * @param encrypted the segment's resource
     * @param key       the key
     * @param iv        the IV of the segment's first block
     * @param start     the segment's first byte in the resource
     * @param length    its bytes, or {@link #TO_END} for the rest of the resource
     */
    Aes128Source(ByteSource encrypted, byte[] key, byte[] iv, long start, long length, BufferPool pool) {
        this.encrypted = encrypted;
        this.key = key;
        this.iv = iv;
        this.start = start;
        this.end = length == TO_END ? Long.MAX_VALUE : start + length;
        this.pool = pool;
    }

    @Override
    public Flux<Chunk> read(long offset, long length) {
        boolean first = offset == start;
        long from = first ? offset : offset - BLOCK;
        long asked = length == TO_END ? TO_END : length + offset - from;
        return Aes128Decryption.decrypt(encrypted.read(from, asked), key, first ? iv : null,
                bytes -> endsSegment(from, asked, bytes), pool, encrypted.uri(), offset);
    }

    /**
     * Whether a read of {@code asked} bytes from {@code from} that gave {@code bytes} reached the segment's end: it
     * did when it read to the end of the resource, or came short, or ended where the segment or the resource does.
     */
    private Mono<Boolean> endsSegment(long from, long asked, long bytes) {
        long reached = from + bytes;
        if (asked == TO_END || bytes < asked || reached >= end) {
            return Mono.just(true);
        }
        return encrypted.info().map(info -> info.size() >= 0 && reached >= info.size());
    }

    @Override
    public Mono<SourceInfo> info() {
        return encrypted.info();
    }

    @Override
    public URI uri() {
        return encrypted.uri();
    }

    /** {@code cut} with every part starting on a block of a segment that starts at {@code start}. */
    static ParallelSource.Cut blockAligned(ParallelSource.Cut cut, long start) {
        return new ParallelSource.Cut() {
            @Override
            public long first() {
                long first = cut.first();
                return first == Long.MAX_VALUE ? first : Math.max(BLOCK, first - first % BLOCK);
            }

            @Override
            public List<ByteSpan> rest(long from, long end) {
                List<ByteSpan> aligned = new ArrayList<>();
                long at = from;
                for (ByteSpan part : cut.rest(from, end)) {
                    long partEnd = part.end() == end ? end : part.end() - (part.end() - start) % BLOCK;
                    if (partEnd > at) {
                        aligned.add(new ByteSpan(at, partEnd - at));
                        at = partEnd;
                    }
                }
                return aligned;
            }

            @Override
            public void rangesRefused() {
                cut.rangesRefused();
            }
        };
    }
}
