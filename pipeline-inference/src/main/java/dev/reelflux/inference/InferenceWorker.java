package dev.reelflux.inference;

import dev.reelflux.inference.internal.WorkQueue;
import reactor.core.publisher.Mono;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One thread that owns one {@link BatchModel} (one DJL predictor) and runs batches from any number of streams through
 * it, one at a time, in submission order. Use one worker per device.
 *
 * <p>Submissions go into a queue of {@link WorkerSpec#queueDepth()} batches, so batch k+1 waits ready while batch k
 * runs; beyond that they wait for room (never refused). Predict never runs on a submitter's thread. After each batch
 * the worker closes it, returning its slab to the pool, on its own thread, whatever the outcome. A failing batch fails
 * only its own submission; the worker carries on.
 */
public final class InferenceWorker implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final BatchModel model;
    private final WorkerSpec spec;
    private final WorkQueue<InferenceJob> queue;
    private final Thread thread;
    private final CompletableFuture<Void> warm = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Model time per frame, an average weighted to the latest batches, as double bits; negative before the first. */
    private final AtomicLong nanosPerFrame = new AtomicLong(Double.doubleToLongBits(-1));

    private InferenceWorker(BatchModel model, WorkerSpec spec) {
        this.model = model;
        this.spec = spec;
        this.queue = new WorkQueue<>(spec.queueDepth());
        this.thread = new Thread(this::run, spec.threadName() + "-" + THREADS.incrementAndGet());
        this.thread.setDaemon(true);
    }

    /** {@link #start(BatchModel, WorkerSpec)} with {@link WorkerSpec#create()}. */
    public static InferenceWorker start(BatchModel model) {
        return start(model, WorkerSpec.create());
    }

    /**
     * Starts the worker thread, which takes ownership of {@code model} and warms it up ({@link BatchModel#warmUp()})
     * on the thread that will run every batch; returns once it is warm.
     *
     * @throws ModelLoadException when warm-up fails; the model is closed by then
     */
    public static InferenceWorker start(BatchModel model, WorkerSpec spec) {
        InferenceWorker worker = new InferenceWorker(model, spec);
        worker.thread.start();
        try {
            worker.warm.get();
        } catch (ExecutionException e) {
            worker.joinUninterruptibly(); // the thread closes the model on its way out
            throw e.getCause() instanceof ModelLoadException load
                    ? load : new ModelLoadException("warm-up failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.close();
            throw new ModelLoadException("interrupted while warming up", e);
        }
        return worker;
    }

    /**
     * Runs {@code batch} through the model. The batch belongs to the worker from subscription on (subscribe once):
     * it is closed after predict, or at once when the subscription is cancelled before predict starts (a batch
     * already running finishes, and its result is dropped). Never subscribed, it stays the caller's.
     *
     * <p>Emits the result, timed from predict's start to its end (see {@link BatchResult#predictStartNanos()}), on
     * {@link WorkerSpec#resultScheduler()}, when predict is done. Waits without a thread while
     * the queue is full. Fails with {@link InferenceException} when the model fails on this batch or the worker is
     * closed.
     */
    public Mono<BatchResult> submit(FrameBatch batch) {
        AtomicBoolean subscribed = new AtomicBoolean();
        return Mono.<BatchResult>create(sink -> {
            if (!subscribed.compareAndSet(false, true)) {
                sink.error(new IllegalStateException(batch + " was already submitted"));
                return;
            }
            InferenceJob job = new InferenceJob(batch, sink);
            sink.onCancel(() -> {
                if (job.cancel()) {
                    queue.remove(job);
                }
            });
            if (!queue.offer(job)) {
                job.reject(new InferenceException("worker " + thread.getName() + " is closed", null));
            }
        }).doOnNext(this::observe).publishOn(spec.resultScheduler());
    }

    /**
     * Model time per frame over the recent batches of every stream (each batch weighs a quarter against what came
     * before), or empty before the first batch: what a planner can expect of this model before a clip's own batches
     * come back.
     */
    public OptionalDouble nanosPerFrame() {
        double value = Double.longBitsToDouble(nanosPerFrame.get());
        return value < 0 ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    private void observe(BatchResult result) {
        double batch = (double) (result.predictEndNanos() - result.predictStartNanos()) / result.frames().size();
        nanosPerFrame.updateAndGet(bits -> {
            double before = Double.longBitsToDouble(bits);
            return Double.doubleToLongBits(before < 0 ? batch : 0.75 * before + 0.25 * batch);
        });
    }

    /** Batches queued for the model now (not counting the one running), at most {@link WorkerSpec#queueDepth()}. */
    public int queued() {
        return queue.queued();
    }

    /** Submissions waiting for room in the queue now. */
    public int waiting() {
        return queue.waiting();
    }

    /**
     * Stops the worker: fails every submission not yet running with {@link InferenceException} (releasing its batch),
     * waits for the running batch to finish, then closes the model on the worker thread. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        rejectAll(queue.close(), "closed");
        if (Thread.currentThread() != thread) {
            joinUninterruptibly();
        }
    }

    private void run() {
        try {
            model.warmUp();
            warm.complete(null);
            InferenceJob job;
            while ((job = queue.take()) != null) {
                job.run(model);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Only warm-up gets here (a job signals what predict throws); start() reports it.
            warm.completeExceptionally(e);
        } catch (Error e) {
            // From warm-up, or a job's predict after it signalled its subscriber: fail the rest, then die loudly.
            warm.completeExceptionally(e);
            throw e;
        } finally {
            rejectAll(queue.close(), "stopped");
            model.close();
        }
    }

    private void rejectAll(Iterable<InferenceJob> jobs, String why) {
        for (InferenceJob job : jobs) {
            job.reject(new InferenceException("worker " + thread.getName() + " " + why, null));
        }
    }

    private void joinUninterruptibly() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "InferenceWorker[" + thread.getName() + ", " + model + "]";
    }
}
