package dev.reelflux.inference;

import reactor.core.publisher.MonoSink;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One submitted batch on its way through an {@link InferenceWorker}. Exactly one of {@link #run}, {@link #cancel} or
 * {@link #reject} takes effect, and that one releases the batch.
 */
final class InferenceJob {

    private static final int QUEUED = 0;
    private static final int TAKEN = 1;

    private final FrameBatch batch;
    private final MonoSink<BatchResult> sink;
    private final AtomicInteger state = new AtomicInteger(QUEUED);

    InferenceJob(FrameBatch batch, MonoSink<BatchResult> sink) {
        this.batch = batch;
        this.sink = sink;
    }

    /** On the worker thread: runs the model, releases the batch, then signals the outcome. */
    void run(BatchModel model) {
        if (!take()) {
            return;
        }
        BatchResult result = null;
        InferenceException failure = null;
        try {
            result = model.predict(batch);
        } catch (InferenceException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new InferenceException(batch + ": " + e, e);
        } finally {
            batch.close();
        }
        if (failure != null) {
            sink.error(failure);
        } else {
            sink.success(result);
        }
    }

    /** The subscriber left: releases the batch unless it is already running. {@code true} if it never will. */
    boolean cancel() {
        if (!take()) {
            return false;
        }
        batch.close();
        return true;
    }

    /** The worker cannot take the job: releases the batch and fails the subscriber with {@code error}. */
    void reject(InferenceException error) {
        if (take()) {
            batch.close();
            sink.error(error);
        }
    }

    private boolean take() {
        return state.compareAndSet(QUEUED, TAKEN);
    }
}
