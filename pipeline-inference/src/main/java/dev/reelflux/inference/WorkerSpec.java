package dev.reelflux.inference;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.Objects;

/** How an {@link InferenceWorker} runs: an immutable value whose {@code opt*} methods return a modified copy. */
public final class WorkerSpec {

    private final int queueDepth;
    private final Scheduler resultScheduler;
    private final String threadName;

    private WorkerSpec(int queueDepth, Scheduler resultScheduler, String threadName) {
        this.queueDepth = queueDepth;
        this.resultScheduler = resultScheduler;
        this.threadName = threadName;
    }

    /** Defaults: queue depth 4, results on {@link Schedulers#parallel()}, threads named {@code reelflux-inference}. */
    public static WorkerSpec create() {
        return new WorkerSpec(4, Schedulers.parallel(), "reelflux-inference");
    }

    /**
     * Batches queued for the model beyond the one running (default 4). More submissions wait, unrefused, for room;
     * two per stream keep every stream double-buffered.
     */
    public WorkerSpec optQueueDepth(int queueDepth) {
        if (queueDepth <= 0) {
            throw new IllegalArgumentException("queueDepth must be positive: " + queueDepth);
        }
        return new WorkerSpec(queueDepth, resultScheduler, threadName);
    }

    /**
     * Where results and errors are delivered (default {@link Schedulers#parallel()}), so that downstream work such
     * as box decoding never holds up the worker's next batch.
     */
    public WorkerSpec optResultScheduler(Scheduler resultScheduler) {
        return new WorkerSpec(queueDepth, Objects.requireNonNull(resultScheduler, "resultScheduler"), threadName);
    }

    /** Prefix of the worker thread's name (default {@code reelflux-inference}). */
    public WorkerSpec optThreadName(String threadName) {
        return new WorkerSpec(queueDepth, resultScheduler, Objects.requireNonNull(threadName, "threadName"));
    }

    public int queueDepth() {
        return queueDepth;
    }

    public Scheduler resultScheduler() {
        return resultScheduler;
    }

    public String threadName() {
        return threadName;
    }
}
