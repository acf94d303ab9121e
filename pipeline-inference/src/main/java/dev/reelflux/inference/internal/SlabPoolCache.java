package dev.reelflux.inference.internal;

import dev.reelflux.inference.SlabPool;
import dev.reelflux.inference.SlabShape;

import java.util.ArrayDeque;

/**
 * Slab pools kept between the clips of one service, so that each clip reuses slabs instead of allocating new direct
 * memory: slabs are tens of megabytes, and direct memory dropped per clip is freed only when the garbage collector
 * gets to it, which lets a busy service's resident memory balloon. Thread-safe.
 */
public final class SlabPoolCache {

    private final SlabShape shape;
    private final int slabsPerPool;
    private final int maxIdle;
    private final ArrayDeque<SlabPool> idle = new ArrayDeque<>();

    /** Pools of {@code slabsPerPool} slabs of {@code shape}, at most {@code maxIdle} kept between clips. */
    public SlabPoolCache(SlabShape shape, int slabsPerPool, int maxIdle) {
        this.shape = shape;
        this.slabsPerPool = slabsPerPool;
        this.maxIdle = maxIdle;
    }

    /** A pool for one clip: a kept one, or a new one. */
    public SlabPool take() {
        synchronized (idle) {
            SlabPool pool = idle.poll();
            if (pool != null) {
                return pool;
            }
        }
        return new SlabPool(shape, slabsPerPool);
    }

    /**
     * Takes back the pool of a clip that ended, when all its slabs are back. One still out (a batch the worker
     * finishes after a cancel, or one lost) would leave the next clip fewer slabs, or none: that pool is dropped, and
     * its memory freed with it.
     */
    public void give(SlabPool pool) {
        if (pool.outstanding() > 0) {
            return;
        }
        synchronized (idle) {
            if (idle.size() < maxIdle) {
                idle.push(pool);
            }
        }
    }
}
