package dev.reelflux.inference;

import dev.reelflux.core.ByteSource;
import dev.reelflux.decoders.FrameFormat;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.VideoFrame;
import dev.reelflux.inference.internal.FrameBatching;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The batching stage: frames in, {@link FrameBatch}es out, each batch one slab of {@code N x 3 x H x W} floats from a
 * small pool per stream (by default 3 slabs: one filling, one queued, one in the model), which bounds a stream's
 * memory and gives double buffering. Immutable; every {@code opt*} returns a configured copy.
 *
 * <p>{@link #decode} is the zero-copy path: the decoder's scaler writes each frame straight into the next slot of the
 * slab, and the filled slots become the model's input tensor as they are. {@link #batching()} accepts any flux of
 * planar float frames of the slab's size and copies each into a slot.
 *
 * <ul>
 *   <li>Emits a batch when its slab is full, when {@link #optMaxWait} has passed since its first frame, or when the
 *       frames end (a partial batch).</li>
 *   <li>Backpressures: ready batches wait for demand; while every slab is out (queued or in the model) the decode
 *       thread waits for one, so frames are never dropped and never pile up.</li>
 *   <li>Completes after the last batch; an upstream error is signalled after the batch of the frames before it, so
 *       a truncated video still has its frames inferred.</li>
 *   <li>On cancel closes the pending frames and the ready batches; every slab returns to its pool.</li>
 * </ul>
 * The subscriber owns each batch and closes it (the inference stage does, right after the model ran).
 */
public final class FrameBatcher {

    private final SlabShape shape;
    private final int slabs;
    private final Duration maxWait;
    private final Scheduler timer;

    private FrameBatcher(SlabShape shape, int slabs, Duration maxWait, Scheduler timer) {
        this.shape = shape;
        this.slabs = slabs;
        this.maxWait = maxWait;
        this.timer = timer;
    }

    /** Batches of {@code shape}: 3 slabs per stream, at most 50 ms of waiting for a batch to fill. */
    public static FrameBatcher create(SlabShape shape) {
        return new FrameBatcher(Objects.requireNonNull(shape), 3, Duration.ofMillis(50), Schedulers.parallel());
    }

    /** Slabs per stream (at least 2: one fills while one is inferred). */
    public FrameBatcher optSlabs(int slabs) {
        if (slabs < 2) {
            throw new IllegalArgumentException("slabs must be >= 2: " + slabs);
        }
        return new FrameBatcher(shape, slabs, maxWait, timer);
    }

    /** Longest time a partial batch waits for more frames before it leaves. */
    public FrameBatcher optMaxWait(Duration maxWait) {
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("maxWait must be positive: " + maxWait);
        }
        return new FrameBatcher(shape, slabs, maxWait, timer);
    }

    /** Where the wait is timed (virtual time in tests). */
    public FrameBatcher optTimer(Scheduler timer) {
        return new FrameBatcher(shape, slabs, maxWait, Objects.requireNonNull(timer));
    }

    public SlabShape shape() {
        return shape;
    }

    /**
     * Decodes {@code source} with {@code decoder} straight into batch slabs. The decoder's output must be planar float
     * of the slab's width and height (letterboxed or not, as the decoder says); its allocator is replaced.
     */
    public Flux<FrameBatch> decode(VideoDecoder decoder, ByteSource source) {
        requireFits(decoder);
        return Flux.defer(() -> decode(decoder, source, new SlabPool(shape, slabs)));
    }

    /**
     * {@link #decode(VideoDecoder, ByteSource)} with slabs from {@code pool} (of this batcher's shape), e.g. one kept
     * per concurrent request by a service so that slabs are not allocated anew for every clip. One stream at a time
     * per pool.
     */
    public Flux<FrameBatch> decode(VideoDecoder decoder, ByteSource source, SlabPool pool) {
        requireShape(pool);
        requireFits(decoder);
        return Flux.defer(() -> {
            FrameBatching batching = new FrameBatching(pool, maxWait, timer);
            return batching.batch(decoder.optAllocator(batching.allocator()).decode(source));
        });
    }

    /** The stage for any flux of planar float frames of the slab's size: each frame is copied into a slot. */
    public Function<Flux<VideoFrame>, Flux<FrameBatch>> batching() {
        return frames -> Flux.defer(() -> batching(new SlabPool(shape, slabs)).apply(frames));
    }

    /** {@link #batching()} with slabs from {@code pool}. One stream at a time per pool. */
    public Function<Flux<VideoFrame>, Flux<FrameBatch>> batching(SlabPool pool) {
        requireShape(pool);
        return frames -> Flux.defer(() -> new FrameBatching(pool, maxWait, timer).batch(frames));
    }

    private void requireFits(VideoDecoder decoder) {
        FrameFormat output = decoder.output();
        if (output.layout() != FrameFormat.Layout.PLANAR_FLOAT || output.width() != shape.width()
                || output.height() != shape.height()) {
            throw new IllegalArgumentException("decoder output " + output + " does not fit slabs of " + shape
                    + "; use FrameFormat.planarFloat(" + shape.width() + ", " + shape.height() + ")");
        }
    }

    private void requireShape(SlabPool pool) {
        if (!pool.shape().equals(shape)) {
            throw new IllegalArgumentException("pool of " + pool.shape() + " for a batcher of " + shape);
        }
    }
}
