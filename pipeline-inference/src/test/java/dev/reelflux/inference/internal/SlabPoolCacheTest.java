package dev.reelflux.inference.internal;

import dev.reelflux.inference.BatchSlab;
import dev.reelflux.inference.SlabPool;
import dev.reelflux.inference.SlabShape;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SlabPoolCacheTest {

    private static final SlabShape SHAPE = new SlabShape(2, 8, 8);

    @Test
    void theNextClipGetsTheSameSlabMemoryBack() throws Exception {
        SlabPoolCache cache = new SlabPoolCache(SHAPE, 3, 2);
        SlabPool first = cache.take();
        BatchSlab slab = first.acquire(Duration.ofSeconds(1));
        slab.slotFloats(0).put(0, 42.5f);
        slab.close();
        cache.give(first);

        SlabPool second = cache.take();

        assertThat(second).isSameAs(first);
        try (BatchSlab again = second.acquire(Duration.ofSeconds(1))) {
            // The same memory, not a new allocation: what the first clip wrote is still there.
            assertThat(again.slotFloats(0).get(0)).isEqualTo(42.5f);
        }
    }

    @Test
    void aPoolWithASlabStillOutIsNotKept() throws Exception {
        SlabPoolCache cache = new SlabPoolCache(SHAPE, 3, 2);
        SlabPool pool = cache.take();
        BatchSlab stillOut = pool.acquire(Duration.ofSeconds(1));

        cache.give(pool);

        assertThat(cache.take()).isNotSameAs(pool);
        stillOut.close();
    }

    @Test
    void keepsAtMostMaxIdlePoolsAndMakesNewOnesWhenEmpty() {
        SlabPoolCache cache = new SlabPoolCache(SHAPE, 3, 2);
        SlabPool a = cache.take();
        SlabPool b = cache.take();
        SlabPool c = cache.take();
        assertThat(a).isNotSameAs(b).isNotSameAs(c);
        assertThat(a.capacity()).isEqualTo(3);
        assertThat(a.shape()).isEqualTo(SHAPE);

        cache.give(a);
        cache.give(b);
        cache.give(c);

        assertThat(cache.take()).isIn(a, b);
        assertThat(cache.take()).isIn(a, b);
        assertThat(cache.take()).isNotIn(a, b, c);
    }
}
