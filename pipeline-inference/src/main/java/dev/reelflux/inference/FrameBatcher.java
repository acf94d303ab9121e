package dev.reelflux.inference;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.internal.Values;
import dev.reelflux.decoders.FrameFormat;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.VideoFrame;
import dev.reelflux.inference.internal.FrameBatching;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
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

    private final Settings settings;

    private FrameBatcher(Settings settings) {
        this.settings = settings;
    }

    /** Batches of {@code shape}: 3 slabs per stream, at most 50 ms of waiting for a batch to fill. */
    public static FrameBatcher create(SlabShape shape) {
        Settings values = new Settings();
        values.shape = Objects.requireNonNull(shape);
        return new FrameBatcher(values);
    }

    /** Slabs per stream (at least 2: one fills while one is inferred). */
    public FrameBatcher optSlabs(int slabs) {
        if (slabs < 2) {
            throw new IllegalArgumentException("slabs must be >= 2: " + slabs);
        }
        return with(s -> s.slabs = slabs);
    }

    /** Longest time a partial batch waits for more frames before it leaves. */
    public FrameBatcher optMaxWait(Duration maxWait) {
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("maxWait must be positive: " + maxWait);
        }
        return with(s -> s.maxWait = maxWait);
    }

    /** Where the wait is timed (virtual time in tests). */
    public FrameBatcher optTimer(Scheduler timer) {
        return with(s -> s.timer = Objects.requireNonNull(timer));
    }

    public SlabShape shape() {
        return settings.shape;
    }

    /**
     * Decodes {@code source} with {@code decoder} straight into batch slabs. The decoder's output must be planar float
     * of the slab's width and height (letterboxed or not, as the decoder says); its allocator is replaced.
     */
    public Flux<FrameBatch> decode(VideoDecoder decoder, ByteSource source) {
        requireFits(decoder);
        return Flux.defer(() -> decode(decoder, source, new SlabPool(settings.shape, settings.slabs)));
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
            FrameBatching batching = new FrameBatching(pool, settings.maxWait, settings.timer);
            return batching.batch(decoder.optAllocator(batching.allocator()).decode(source));
        });
    }

    /** The stage for any flux of planar float frames of the slab's size: each frame is copied into a slot. */
    public Function<Flux<VideoFrame>, Flux<FrameBatch>> batching() {
        return frames -> Flux.defer(() -> batching(new SlabPool(settings.shape, settings.slabs)).apply(frames));
    }

    /** {@link #batching()} with slabs from {@code pool}. One stream at a time per pool. */
    public Function<Flux<VideoFrame>, Flux<FrameBatch>> batching(SlabPool pool) {
        requireShape(pool);
        return frames -> Flux.defer(() -> new FrameBatching(pool, settings.maxWait, settings.timer).batch(frames));
    }

    private void requireFits(VideoDecoder decoder) {
        FrameFormat output = decoder.output();
        if (output.layout() != FrameFormat.Layout.PLANAR_FLOAT || output.width() != settings.shape.width()
                || output.height() != settings.shape.height()) {
            throw new IllegalArgumentException("decoder output " + output + " does not fit slabs of " + settings.shape
                    + "; use FrameFormat.planarFloat(" + settings.shape.width() + ", " + settings.shape.height() + ")");
        }
    }

    private void requireShape(SlabPool pool) {
        if (!pool.shape().equals(settings.shape)) {
            throw new IllegalArgumentException("pool of " + pool.shape() + " for a batcher of " + settings.shape);
        }
    }

    private FrameBatcher with(Consumer<Settings> change) {
        return new FrameBatcher(settings.with(change));
    }

    private static final class Settings extends Values<Settings> {
        private SlabShape shape;
        private int slabs = 3;
        private Duration maxWait = Duration.ofMillis(50);
        private Scheduler timer = Schedulers.parallel();
    }
}
