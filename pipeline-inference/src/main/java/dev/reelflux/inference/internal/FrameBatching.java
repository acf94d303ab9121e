package dev.reelflux.inference.internal;

import dev.reelflux.decoders.FrameAllocator;
import dev.reelflux.decoders.VideoFrame;
import dev.reelflux.inference.FrameBatch;
import dev.reelflux.inference.SlabPool;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;

/** The batching of one stream: its slab filler (lent to the decoder) and the operator that cuts batches. */
public final class FrameBatching {

    private final SlabFiller filler;
    private final Duration maxWait;
    private final Scheduler timer;

    public FrameBatching(SlabPool pool, Duration maxWait, Scheduler timer) {
        this.filler = new SlabFiller(pool);
        this.maxWait = maxWait;
        this.timer = timer;
    }

    /** The allocator that makes the decoder write into this stream's slabs. */
    public FrameAllocator allocator() {
        return filler;
    }

    public Flux<FrameBatch> batch(Flux<VideoFrame> frames) {
        return new FluxFrameBatches(frames, filler, maxWait, timer);
    }
}
