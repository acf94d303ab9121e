package dev.reelflux.inference;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A real model with a hook around each batch: a delay before it, an injected failure on the Nth, frames done. */
final class HookedModel implements BatchModel {

    private final DetectorModel model;
    private final int failingBatch;
    private final long delayMillis;
    private final AtomicInteger batches = new AtomicInteger();
    private final AtomicLong framesDone = new AtomicLong();
    private final AtomicLong framesBeforeFailure = new AtomicLong(-1);

    private HookedModel(DetectorModel model, int failingBatch, long delayMillis) {
        this.model = model;
        this.failingBatch = failingBatch;
        this.delayMillis = delayMillis;
    }

    /** Fails batch {@code n} (from 1) with an {@link InferenceException} "injected failure on ...". */
    static HookedModel failingOnBatch(DetectorModel model, int n) {
        return new HookedModel(model, n, 0);
    }

    /** Waits {@code millis} before each batch. */
    static HookedModel slow(DetectorModel model, long millis) {
        return new HookedModel(model, 0, millis);
    }

    /** Frames of the batches that went through, counted before the batch is handed back. */
    long framesDone() {
        return framesDone.get();
    }

    /**
     * Frames of the batches that went through before the injected failure (-1 before it): a batch queued behind the
     * failing one may still run after it.
     */
    long framesBeforeFailure() {
        return framesBeforeFailure.get();
    }

    @Override
    public BatchResult predict(FrameBatch batch) {
        if (batches.incrementAndGet() == failingBatch) {
            framesBeforeFailure.set(framesDone.get());
            throw new InferenceException("injected failure on " + batch, null);
        }
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InferenceException("interrupted", e);
            }
        }
        BatchResult result = model.predict(batch);
        framesDone.addAndGet(batch.size());
        return result;
    }

    @Override
    public void warmUp() {
        model.warmUp();
    }

    @Override
    public void close() {
        model.close();
    }
}
