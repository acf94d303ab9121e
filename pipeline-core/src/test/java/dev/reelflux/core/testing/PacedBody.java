package dev.reelflux.core.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A response body as a {@code Flux<ByteBuf>} that produces a chunk only when all of these hold: the subscriber asked
 * for it, the channel is writable, and the pacing allows it.
 *
 * <p>Emits when: the subscriber has demand, the channel is writable and the chunk is due. Backpressures when: the
 * subscriber has no demand or the channel is not writable. Completes when: the whole range has been emitted. On cancel:
 * nothing to release, since a chunk is allocated only as it is handed to the subscriber.
 */
final class PacedBody {

    private PacedBody() {
    }

    /**
     * The bytes {@code [from, to)} of {@code content}.
     *
     * @param alloc          allocator of the channel the chunks go to (pooled, leak-tracked)
     * @param gate           the channel's writability
     * @param bytesPerSecond the current rate, 0 for unlimited, read for each chunk
     * @param sent           told the size of each chunk as it is handed on
     */
    static Flux<ByteBuf> of(Content content, long from, long to, ByteBufAllocator alloc, WritabilityGate gate,
            LongSupplier bytesPerSecond, LongConsumer sent) {
        return Flux.defer(() -> {
            Pacer pacer = new Pacer(bytesPerSecond);
            return Flux.<Slice, Long>generate(() -> from, (position, sink) -> {
                        if (position >= to) {
                            sink.complete();
                            return position;
                        }
                        Slice slice = new Slice(position, (int) Math.min(pacer.chunkSize(), to - position));
                        sink.next(slice);
                        return position + slice.length;
                    })
                    .concatMap(slice -> gate.whenWritable()
                            .then(Mono.defer(() -> delay(pacer.delayNanos(slice.length))))
                            .thenReturn(slice), 1)
                    // Allocated here, synchronously on the way to the subscriber: a buffer made inside the inner
                    // publisher could be dropped undiscarded when a cancel races its emission (seen as LEAK reports).
                    .map(slice -> read(content, slice, alloc))
                    .doOnNext(chunk -> sent.accept(chunk.readableBytes()));
        });
    }

    private static Mono<Void> delay(long nanos) {
        return nanos == 0 ? Mono.empty() : Mono.delay(Duration.ofNanos(nanos)).then();
    }

    private static ByteBuf read(Content content, Slice slice, ByteBufAllocator alloc) {
        ByteBuf chunk = alloc.buffer(slice.length);
        try {
            content.read(slice.offset, chunk.nioBuffer(0, slice.length));
            return chunk.writerIndex(slice.length);
        } catch (RuntimeException e) {
            chunk.release();
            throw e;
        }
    }

    private record Slice(long offset, int length) {
    }
}
