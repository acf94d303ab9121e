package dev.reelflux.inference;

import dev.reelflux.core.internal.Unclaimed;
import dev.reelflux.core.internal.Values;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The inference stage of one stream: sends each {@link FrameBatch} through a shared {@link InferenceWorker} and emits
 * its {@link BatchResult}, in batch order. Plug it in with {@code batches.transform(InferenceStage.create(worker))}.
 *
 * <ul>
 *   <li><b>Emits</b> a batch's result when its predict is done and every earlier batch's result was emitted, on the
 *       worker's result scheduler.</li>
 *   <li><b>Backpressures</b> when {@link #optMaxInFlight} batches of this stream are submitted and not yet emitted
 *       (queued, running or done but not requested): it then requests no more batches from upstream.</li>
 *   <li><b>Completes</b> when upstream has completed and every submitted batch's result was emitted.</li>
 *   <li><b>Errors</b> with the first {@link InferenceException} of a batch of this stream, after the results of the
 *       batches before it (the batches still in flight are then cancelled as below, their results not awaited), or
 *       with upstream's error after the results of every batch that came before it.</li>
 *   <li><b>Cancels</b>: queued batches are dropped unrun and released at once; a running batch finishes on the worker,
 *       is released there and its result dropped; batches upstream discards (for example from a buffer between it
 *       and this stage) are closed.</li>
 * </ul>
 * Ownership: each batch passes to the worker, which closes it after predict; the results are plain values the
 * subscriber owns.
 */
public final class InferenceStage implements Function<Flux<FrameBatch>, Flux<BatchResult>> {

    private final Settings settings;

    private InferenceStage(Settings settings) {
        this.settings = settings;
    }

    /** A stage through {@code worker} with at most 2 batches in flight. */
    public static InferenceStage create(InferenceWorker worker) {
        Settings values = new Settings();
        values.worker = worker;
        return new InferenceStage(values);
    }

    /**
     * Batches of this stream submitted and not yet emitted (default 2: one runs while the next waits ready in the
     * worker's queue). Each in-flight batch holds a slab, so keep the stream's pool at least this large plus one for
     * the batch being filled.
     */
    public InferenceStage optMaxInFlight(int maxInFlight) {
        if (maxInFlight <= 0) {
            throw new IllegalArgumentException("maxInFlight must be positive: " + maxInFlight);
        }
        return with(s -> s.maxInFlight = maxInFlight);
    }

    @Override
    public Flux<BatchResult> apply(Flux<FrameBatch> batches) {
        return Flux.defer(() -> {
            // flatMapSequential drops, unsubscribed, the publisher it mapped a batch to when a cancel comes in
            // between; a submission never subscribed leaves its batch to this stage, which closes it at its end.
            Unclaimed<FrameBatch> unsubmitted = new Unclaimed<>();
            // flatMapSequential would drop the batches in flight on upstream's error: it is held back until they
            // are done, so that a truncated video still has every decoded frame inferred.
            AtomicReference<Throwable> upstreamError = new AtomicReference<>();
            return batches
                    .onErrorResume(error -> {
                        upstreamError.set(error);
                        return Mono.empty();
                    })
                    .flatMapSequential(batch -> submission(batch, unsubmitted), settings.maxInFlight, 1)
                    .<BatchResult>dematerialize()
                    .concatWith(Mono.defer(() -> upstreamError.get() == null ? Mono.<BatchResult>empty()
                            : Mono.error(upstreamError.get())))
                    .doOnDiscard(FrameBatch.class, FrameBatch::close)
                    .doFinally(signal -> unsubmitted.releaseAll());
        });
    }

    /**
     * {@code batch} through the worker, its outcome as a signal: an error travels in its batch's place, so the
     * results of the batches before it come out first. Empty once the stage has ended (the batch is closed then).
     */
    private Mono<Signal<BatchResult>> submission(FrameBatch batch, Unclaimed<FrameBatch> unsubmitted) {
        if (!unsubmitted.hold(batch)) {
            return Mono.empty();
        }
        return Mono.defer(() -> unsubmitted.claim(batch) ? settings.worker.submit(batch) : Mono.<BatchResult>empty())
                .materialize();
    }

    private InferenceStage with(Consumer<Settings> change) {
        return new InferenceStage(settings.with(change));
    }

    private static final class Settings extends Values<Settings> {
        private InferenceWorker worker;
        private int maxInFlight = 2;
    }
}
