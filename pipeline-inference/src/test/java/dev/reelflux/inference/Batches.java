package dev.reelflux.inference;

import dev.reelflux.decoders.Letterbox;

import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Frame batches for tests: pooled slabs with made-up frame metadata. */
final class Batches {

    private Batches() {
    }

    /** A batch holding frames {@code frameIndexes} (64x64 sources, no letterbox) in a slab from {@code pool}. */
    static FrameBatch of(SlabPool pool, long... frameIndexes) {
        List<FrameInfo> frames = new ArrayList<>();
        for (long index : frameIndexes) {
            frames.add(info(index));
        }
        try {
            return new FrameBatch(pool.acquire(Duration.ofSeconds(5)), frames);
        } catch (Exception e) {
            throw new AssertionError("no slab for frames " + frames, e);
        }
    }

    /**
     * {@code count} batches of two frames each, numbered from {@code firstFrame}, each made when requested from a slab
     * acquired reactively, as a batcher would.
     */
    static Flux<FrameBatch> stream(SlabPool pool, long firstFrame, int count) {
        return Flux.range(0, count).concatMap(i -> pool.acquire().map(slab -> {
            long frame = firstFrame + 2L * i;
            return new FrameBatch(slab, List.of(info(frame), info(frame + 1)));
        }), 0);
    }

    private static FrameInfo info(long frameIndex) {
        return new FrameInfo(frameIndex, frameIndex / 25.0, Letterbox.identity(64, 64));
    }

    /** Polls {@code condition} for up to five seconds. */
    static void eventually(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.onSpinWait();
        }
    }

    /** The frame indexes a {@link FakeModel} result reports, flattened. */
    static List<Long> frameIndexes(List<BatchResult> results) {
        List<Long> indexes = new ArrayList<>();
        for (BatchResult result : results) {
            for (float value : result.output(0).data()) {
                indexes.add((long) value);
            }
        }
        return indexes;
    }
}
