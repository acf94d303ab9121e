package dev.reelflux.inference;

import dev.reelflux.core.internal.Values;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.Objects;
import java.util.function.Consumer;

/** How an {@link InferenceWorker} runs: an immutable value whose {@code opt*} methods return a modified copy. */
public final class WorkerSpec {

    private final Settings settings;

    private WorkerSpec(Settings settings) {
        this.settings = settings;
    }

    /** Defaults: queue depth 4, results on {@link Schedulers#parallel()}, threads named {@code reelflux-inference}. */
    public static WorkerSpec create() {
        return new WorkerSpec(new Settings());
    }

    /**
     * Batches queued for the model beyond the one running (default 4). More submissions wait, unrefused, for room;
     * two per stream keep every stream double-buffered.
     */
    public WorkerSpec optQueueDepth(int queueDepth) {
        if (queueDepth <= 0) {
            throw new IllegalArgumentException("queueDepth must be positive: " + queueDepth);
        }
        return with(s -> s.queueDepth = queueDepth);
    }

    /**
     * Where results and errors are delivered (default {@link Schedulers#parallel()}), so that downstream work such
     * as box decoding never holds up the worker's next batch.
     */
    public WorkerSpec optResultScheduler(Scheduler resultScheduler) {
        return with(s -> s.resultScheduler = Objects.requireNonNull(resultScheduler, "resultScheduler"));
    }

    /** Prefix of the worker thread's name (default {@code reelflux-inference}). */
    public WorkerSpec optThreadName(String threadName) {
        return with(s -> s.threadName = Objects.requireNonNull(threadName, "threadName"));
    }

    public int queueDepth() {
        return settings.queueDepth;
    }

    public Scheduler resultScheduler() {
        return settings.resultScheduler;
    }

    public String threadName() {
        return settings.threadName;
    }

    private WorkerSpec with(Consumer<Settings> change) {
        return new WorkerSpec(settings.with(change));
    }

    private static final class Settings extends Values<Settings> {
        private int queueDepth = 4;
        private Scheduler resultScheduler = Schedulers.parallel();
        private String threadName = "reelflux-inference";
    }
}
