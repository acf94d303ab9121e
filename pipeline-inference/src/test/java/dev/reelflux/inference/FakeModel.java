package dev.reelflux.inference;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link BatchModel} for worker tests: answers each batch with a {@code [n, 1]} output holding its frame indexes,
 * can be held at the start of each predict (a slow model), fails on chosen frames, and records what it saw.
 */
final class FakeModel implements BatchModel {

    private static final List<FakeModel> GATED = new CopyOnWriteArrayList<>();

    private final Set<Long> failOn;
    private final boolean fatal;
    private final Semaphore permits;
    private final List<Long> predicted = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger warmUps = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Semaphore started = new Semaphore(0);
    private volatile RuntimeException warmUpFailure;

    private FakeModel(Set<Long> failOn, boolean fatal, boolean gated) {
        this.failOn = failOn;
        this.fatal = fatal;
        this.permits = gated ? new Semaphore(0) : null;
    }

    /** Answers at once. */
    static FakeModel immediate() {
        return new FakeModel(Set.of(), false, false);
    }

    /** Waits for a {@link #release} before each batch. */
    static FakeModel gated() {
        FakeModel model = new FakeModel(Set.of(), false, true);
        GATED.add(model);
        return model;
    }

    /**
     * Lets every gated model made so far run freely: for a test's teardown, so that a test failing while a batch
     * waits at a gate cannot leave the worker's close waiting for it forever.
     */
    static void openAllGates() {
        for (FakeModel model : GATED) {
            model.release(Integer.MAX_VALUE / 2);
        }
        GATED.clear();
    }

    /** Throws on any batch holding one of {@code frames}. */
    static FakeModel failingOn(Long... frames) {
        return new FakeModel(Set.of(frames), false, false);
    }

    /** Throws an {@link Error} (as the JVM does when out of memory) on a batch holding {@code frame}. */
    static FakeModel dyingOn(long frame) {
        return new FakeModel(Set.of(frame), true, false);
    }

    FakeModel failingWarmUp(RuntimeException failure) {
        this.warmUpFailure = failure;
        return this;
    }

    /** Lets {@code batches} held batches run. */
    void release(int batches) {
        permits.release(batches);
    }

    /** Waits until a predict has started (the batch is then running, held at the gate). */
    void awaitStarted() throws InterruptedException {
        if (!started.tryAcquire(5, TimeUnit.SECONDS)) {
            throw new AssertionError("no batch started");
        }
    }

    @Override
    public BatchResult predict(FrameBatch batch) {
        threads.add(Thread.currentThread().getName());
        started.release();
        if (permits != null) {
            permits.acquireUninterruptibly();
        }
        float[] indexes = new float[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            long frame = batch.frames().get(i).frameIndex();
            if (failOn.contains(frame)) {
                if (fatal) {
                    throw new OutOfMemoryError("fake: model died on frame " + frame);
                }
                throw new IllegalStateException("model failed on frame " + frame);
            }
            predicted.add(frame);
            indexes[i] = frame;
        }
        return new BatchResult(batch.frames(), List.of(new OutputTensor(new int[] {batch.size(), 1}, indexes)));
    }

    @Override
    public void warmUp() {
        threads.add(Thread.currentThread().getName());
        warmUps.incrementAndGet();
        if (warmUpFailure != null) {
            throw warmUpFailure;
        }
    }

    @Override
    public void close() {
        closed.set(true);
    }

    List<Long> predicted() {
        return predicted;
    }

    List<String> threads() {
        return threads;
    }

    int warmUps() {
        return warmUps.get();
    }

    boolean closed() {
        return closed.get();
    }
}
