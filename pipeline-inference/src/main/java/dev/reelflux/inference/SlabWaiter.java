package dev.reelflux.inference;

import java.nio.ByteBuffer;

/** Someone waiting in a {@link SlabPool} for a slab's memory. */
interface SlabWaiter {

    /**
     * Hands {@code memory} over. Returns {@code false}, keeping nothing, when the waiter has given up; the pool then
     * offers the memory to the next waiter. At most one offer per waiter returns {@code true}.
     */
    boolean offer(ByteBuffer memory);
}
