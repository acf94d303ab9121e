package dev.reelflux.inference;

import reactor.core.publisher.MonoSink;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One submitted batch on its way through an {@link InferenceWorker}. Exactly one of {@link #run}, {@link #cancel} or
 * {@link #reject} takes effect, and that one releases the batch.
 */
final class InferenceJob {

    private final FrameBatch batch;
    private final MonoSink<BatchResult> sink;
    private final AtomicBoolean taken = new AtomicBoolean();

    InferenceJob(FrameBatch batch, MonoSink<BatchResult> sink) {
        this.batch = batch;
        this.sink = sink;
    }

    /**
     * On the worker thread: runs the model, releases the batch, then signals the outcome. An {@link Error} is
     * signalled too, then rethrown to stop the worker.
     */
    void run(BatchModel model) {
        if (!take()) {
            return;
        }
        BatchResult result = null;
        Throwable failure = null;
        long start = System.nanoTime();
        try {
            result = model.predict(batch).timed(start, System.nanoTime());
        } catch (Throwable e) {
            failure = e;
        } finally {
            batch.close();
        }
        if (failure == null) {
            sink.success(result);
            return;
        }
        sink.error(failure instanceof InferenceException known ? known : new InferenceException(batch + ": " + failure,
                failure));
        if (failure instanceof Error error) {
            throw error;
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
        return taken.compareAndSet(false, true);
    }
}
