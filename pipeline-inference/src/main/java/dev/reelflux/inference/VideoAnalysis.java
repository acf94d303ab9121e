package dev.reelflux.inference;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.PipelineRecorder;
import dev.reelflux.core.TimeBudget;
import dev.reelflux.decoders.DecodeListener;
import dev.reelflux.decoders.FrameFormat;
import dev.reelflux.decoders.StreamInfo;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.inference.internal.SlabPoolCache;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The whole pipeline for one clip, composed from the public stages: byte source, {@link VideoDecoder} writing
 * straight into batch slabs ({@link FrameBatcher#decode}), {@link InferenceStage} on a shared
 * {@link InferenceWorker}, and {@link YoloStage}, under one {@link TimeBudget} and recorded by one
 * {@link PipelineRecorder}. Download, decoding and inference overlap; nothing waits for a whole stage to finish.
 * Immutable; every {@code opt*} returns a configured copy. Thread-safe: one instance serves any number of clips,
 * and keeps the batch slabs of up to four of them for the next ones, so that a service does not allocate tens of
 * megabytes of direct memory per clip.
 *
 * <p>{@link #results} is the streaming form:
 * <ul>
 *   <li><b>Emits</b> one {@link FrameResult} per decoded frame, in display order, as soon as its batch is
 *       inferred.</li>
 *   <li><b>Backpressures</b> end to end: a slow subscriber stops inference, which stops decoding (every slab is
 *       out), which stops reading the socket.</li>
 *   <li><b>Completes</b> after the last frame's result, or at the budget's deadline with what was done by then
 *       (unless the budget fails on expiry).</li>
 *   <li><b>Errors</b> with the typed error of the stage that failed (source, decoder, model), after the results of
 *       the frames decoded before it.</li>
 *   <li><b>Cancels</b> the download, the decoder and queued batches; every slab and frame is released.</li>
 * </ul>
 * The results are plain values the subscriber owns. {@link #analyze} collects them with the report and never fails
 * with a pipeline error: the report's {@code error} carries it, next to the results done before it.
 */
public final class VideoAnalysis {

    private static final int IDLE_POOLS = 4;

    private final InferenceWorker worker;
    private final SlabShape shape;
    private final YoloSpec yolo;
    private final VideoDecoder decoder;
    private final Duration batchWait;
    private final Duration budget;
    private final int maxInFlight;
    private final SlabPoolCache pools;

    private VideoAnalysis(InferenceWorker worker, SlabShape shape, YoloSpec yolo, VideoDecoder decoder,
                          Duration batchWait, Duration budget, int maxInFlight) {
        this.worker = worker;
        this.shape = shape;
        this.yolo = yolo;
        this.decoder = decoder;
        this.batchWait = batchWait;
        this.budget = budget;
        this.maxInFlight = maxInFlight;
        // One slab fills while maxInFlight are in the worker; pools for four clips at a time are kept.
        this.pools = new SlabPoolCache(shape, maxInFlight + 1, IDLE_POOLS);
    }

    /**
     * Clips analysed through {@code worker} with batches of {@code shape} (the model's batch size and input size, see
     * {@link ModelSpec#slabShape()}): default decoder letterboxed to the input size, default YOLO decoding, batches
     * leave after at most 50 ms of waiting, no time budget.
     */
    public static VideoAnalysis create(InferenceWorker worker, SlabShape shape) {
        return new VideoAnalysis(Objects.requireNonNull(worker, "worker"), Objects.requireNonNull(shape, "shape"),
                YoloSpec.create(), VideoDecoder.create(), Duration.ofMillis(50), null, 2);
    }

    /** How model outputs become boxes and keypoints. */
    public VideoAnalysis optYolo(YoloSpec yolo) {
        return new VideoAnalysis(worker, shape, Objects.requireNonNull(yolo, "yolo"), decoder, batchWait, budget,
                maxInFlight);
    }

    /**
     * The decoder settings (threads, frame selection, hardware decoding, probing). Its output is replaced by planar
     * float at the slab's size, letterboxed, and its listener is chained after the recorder's.
     */
    public VideoAnalysis optDecoder(VideoDecoder decoder) {
        return new VideoAnalysis(worker, shape, yolo, Objects.requireNonNull(decoder, "decoder"), batchWait, budget,
                maxInFlight);
    }

    /** Longest time a partial batch waits for more frames (see {@link FrameBatcher#optMaxWait}). */
    public VideoAnalysis optBatchWait(Duration batchWait) {
        return new VideoAnalysis(worker, shape, yolo, decoder, Objects.requireNonNull(batchWait, "batchWait"), budget,
                maxInFlight);
    }

    /** A time budget per clip, counted from subscription: at the deadline the clip ends with what is done. */
    public VideoAnalysis optBudget(Duration budget) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("budget must be positive: " + budget);
        }
        return new VideoAnalysis(worker, shape, yolo, decoder, batchWait, budget, maxInFlight);
    }

    /** Batches of one clip in the worker at once (see {@link InferenceStage#optMaxInFlight}); default 2. */
    public VideoAnalysis optMaxInFlight(int maxInFlight) {
        if (maxInFlight <= 0) {
            throw new IllegalArgumentException("maxInFlight must be positive: " + maxInFlight);
        }
        return new VideoAnalysis(worker, shape, yolo, decoder, batchWait, budget, maxInFlight);
    }

    /**
     * Results for {@code source}, recorded into {@code recorder} and cut at {@code budget}'s deadline (null: none).
     * To count the source's bytes too, give the recorder to the source as its
     * {@link dev.reelflux.core.TransferListener}, as {@link #analyze(URI, HttpSettings)} does.
     */
    public Flux<FrameResult> results(ByteSource source, PipelineRecorder recorder, TimeBudget budget) {
        return results(source, Objects.requireNonNull(recorder, "recorder"), new AtomicReference<>(), budget);
    }

    private Flux<FrameResult> results(ByteSource source, PipelineRecorder recorder, AtomicReference<StreamInfo> stream,
                                      TimeBudget budget) {
        Objects.requireNonNull(source, "source");
        VideoDecoder recorded = decoder
                .optOutput(FrameFormat.planarFloat(shape.width(), shape.height()).optLetterbox(true))
                .optListener(DecodeListener.recordingTo(recorder).andThen(DecodeListener.onOpened(stream::set))
                        .andThen(decoder.listener()));
        return Flux.defer(() -> {
            // The pool goes back when the clip's results end, its slabs back in it or (after a cancel) on their way.
            Flux<FrameResult> results = Flux.using(pools::take, pool -> FrameBatcher.create(shape)
                    .optMaxWait(batchWait)
                    .decode(recorded, source, pool)
                    .transform(InferenceStage.create(worker).optMaxInFlight(maxInFlight))
                    .doOnNext(batch -> recorder.batchInferred(batch.frames().size(), batch.predictStartNanos(),
                            batch.predictEndNanos()))
                    .transform(YoloStage.create(yolo))
                    .doOnNext(result -> recorder.resultEmitted(result.frameIndex())), pools::give);
            return budget == null ? results : results.transform(budget.guard());
        });
    }

    /** {@link #analyze(ByteSource, PipelineRecorder)} with a new recorder started at subscription. */
    public Mono<Analysis> analyze(ByteSource source) {
        return Mono.defer(() -> analyze(source, PipelineRecorder.start()));
    }

    /**
     * Streams {@code uri} over HTTP with {@code settings} (the recorder is chained after their listener) and
     * analyses it; the report has the download's figures too.
     */
    public Mono<Analysis> analyze(URI uri, HttpSettings settings) {
        return Mono.defer(() -> {
            PipelineRecorder recorder = PipelineRecorder.start();
            ByteSource source = ByteSource.open(uri, settings.optListener(settings.listener().andThen(recorder)));
            return analyze(source, recorder);
        });
    }

    /**
     * Every result of {@code source}, with the report. Never fails with a pipeline error: the results done before it
     * are kept and the report names it. Cancelling the {@code Mono} cancels the clip.
     */
    public Mono<Analysis> analyze(ByteSource source, PipelineRecorder recorder) {
        return Mono.defer(() -> {
            TimeBudget clipBudget = budget == null ? null : TimeBudget.startingNow(budget);
            AtomicReference<StreamInfo> stream = new AtomicReference<>();
            List<FrameResult> done = Collections.synchronizedList(new ArrayList<>());
            return results(source, recorder, stream, clipBudget)
                    .doOnNext(done::add)
                    .then(Mono.just(Optional.<Throwable>empty()))
                    .onErrorResume(error -> Mono.just(Optional.of(error)))
                    // After a failure, asking the size could mean another request to a server that just failed.
                    .flatMap(error -> (error.isEmpty() ? recorder.recordSize(source) : Mono.<Void>empty())
                            .then(Mono.fromSupplier(() -> new Analysis(stream.get(), done,
                                    recorder.report(clipBudget != null && clipBudget.expired(), error.orElse(null)),
                                    recorder.timeline()))));
        });
    }

    @Override
    public String toString() {
        return "VideoAnalysis[" + shape + ", " + yolo + ", batch wait " + batchWait.toMillis() + " ms"
                + (budget == null ? "" : ", budget " + budget) + "]";
    }
}
