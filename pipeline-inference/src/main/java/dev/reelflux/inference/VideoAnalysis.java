package dev.reelflux.inference;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.PipelineMetrics;
import dev.reelflux.core.PipelineRecorder;
import dev.reelflux.core.PipelineReport;
import dev.reelflux.core.TimeBudget;
import dev.reelflux.core.internal.Values;
import dev.reelflux.decoders.DecodeListener;
import dev.reelflux.decoders.StreamInfo;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.inference.internal.SlabPoolCache;
import dev.reelflux.inference.internal.StridePlanner;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * The whole pipeline for one clip, composed from the public stages: byte source, {@link VideoDecoder} writing
 * straight into the batch slabs of one or more models ({@link ModelFanOut}), each model's {@link InferenceStage} on its
 * {@link InferenceWorker} and {@link YoloStage}, the results joined per frame, under one {@link TimeBudget} and
 * recorded by one {@link PipelineRecorder}. Download, decoding and inference overlap; nothing waits for a whole stage
 * to finish. One model is the one-model case of the same pipeline. Immutable; every {@code opt*} returns a configured
 * copy. Thread-safe: one instance serves any number of clips, and keeps the batch slabs of up to four of them for the
 * next ones, so that a service does not allocate tens of megabytes of direct memory per clip.
 *
 * <pre>{@code
 * VideoAnalysis analysis = VideoAnalysis.create(List.of(
 *         ModelBranch.create("objects", detector, detectorSpec.slabShape()),
 *         ModelBranch.create("pitch", keypoints, keypointSpec.slabShape())
 *                 .optYolo(YoloSpec.create().optKeypoints(32))));
 * Analysis clip = analysis.analyze(uri, HttpSettings.create()).block();
 * }</pre>
 *
 * <p>{@link #results} is the streaming form:
 * <ul>
 *   <li><b>Emits</b> one {@link FrameAnalysis} per frame, in display order, as soon as every model that runs on it
 *       has its result.</li>
 *   <li><b>Backpressures</b> end to end: a slow subscriber stops inference, which stops decoding (every slab of a
 *       model is out), which stops reading the socket; the slowest model governs.</li>
 *   <li><b>Completes</b> after the last frame's results, or at the budget's deadline with what was done by then
 *       (unless the budget fails on expiry).</li>
 *   <li><b>Errors</b> with the typed error of the stage that failed (source, decoder, or a model: an
 *       {@link InferenceException} naming it), after the results of the frames done before it.</li>
 *   <li><b>Cancels</b> the download, the decoder and queued batches; every slab and frame is released.</li>
 * </ul>
 * The results are plain values the subscriber owns. {@link #analyze} collects them with the report and never fails
 * with a pipeline error: the report's {@code error} carries it, next to the results done before it.
 */
public final class VideoAnalysis {

    private static final int IDLE_POOLS = 4;

    private final Settings settings;

    private VideoAnalysis(Settings settings) {
        this.settings = settings;
    }

    /**
     * Clips analysed by {@code models} (see {@link ModelFanOut#create}): default decoder, batches leave after at most
     * 50 ms of waiting, no time budget.
     */
    public static VideoAnalysis create(List<ModelBranch> models) {
        Settings values = new Settings();
        values.models = ModelFanOut.create(models);
        values.pools = values.models.models().stream()
                .map(model -> new SlabPoolCache(model.shape(), model.slabsPerClip(), IDLE_POOLS)).toList();
        return new VideoAnalysis(values);
    }

    /** {@link #create(List)} with one model. */
    public static VideoAnalysis create(ModelBranch model) {
        return create(List.of(model));
    }

    /**
     * The decoder settings (threads, frame selection for every model, hardware decoding, probing). Its outputs are
     * replaced by the models' inputs, and its listener is chained after the recorder's.
     */
    public VideoAnalysis optDecoder(VideoDecoder decoder) {
        Objects.requireNonNull(decoder, "decoder");
        return with(s -> s.decoder = decoder);
    }

    /** Longest time a partial batch waits for more frames (see {@link FrameBatcher#optMaxWait}). */
    public VideoAnalysis optBatchWait(Duration batchWait) {
        ModelFanOut waiting = settings.models.optBatchWait(batchWait);
        return with(s -> s.models = waiting);
    }

    /**
     * Records every clip {@link #analyze} runs into {@code registry} (see {@link PipelineMetrics} for the meters),
     * once its report is made. Pair it with {@link HttpSettings#optMetrics} for the HTTP client's own meters.
     */
    public VideoAnalysis optMetrics(MeterRegistry registry) {
        PipelineMetrics metrics = PipelineMetrics.of(registry);
        return with(s -> s.metrics = metrics);
    }

    /**
     * A time budget per clip, counted from subscription. As the clip runs, a planner measures how fast frames come
     * out of the decoder while no model holds it back (the download included) and how fast each model runs, and when
     * the rest of the clip would finish later than the deadline less the {@linkplain #optBudgetMargin margin}, it
     * thins each model's frames evenly for the rest of the clip (every k-th frame, k within {@link #optStrides}),
     * narrowing again when the rates recover; the choices are in {@link Analysis#strides()}. The clip's last frame is
     * always inferred, so that {@link FrameFill} answers every frame up to the end. At the deadline, what still runs is
     * cut and the clip ends with what is done.
     */
    public VideoAnalysis optBudget(Duration budget) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("budget must be positive: " + budget);
        }
        return with(s -> s.budget = budget);
    }

    /** Time the planner keeps in hand before the deadline (default: a tenth of the budget). */
    public VideoAnalysis optBudgetMargin(Duration margin) {
        if (margin.isNegative()) {
            throw new IllegalArgumentException("margin must not be negative: " + margin);
        }
        return with(s -> s.margin = margin);
    }

    /**
     * The strides the planner may choose under a budget (default 1 to 8): every model runs on at least every
     * {@code max}-th frame; {@code optStrides(1, 1)} turns planning off (the budget only cuts).
     */
    public VideoAnalysis optStrides(int min, int max) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("strides must satisfy 1 <= min <= max: " + min + ", " + max);
        }
        return with(s -> {
            s.minStride = min;
            s.maxStride = max;
        });
    }

    /** The models, in the order of their results in each frame. */
    public List<ModelBranch> models() {
        return settings.models.models();
    }

    /**
     * Results for {@code source}, recorded into {@code recorder} and cut at {@code budget}'s deadline (null: none).
     * To count the source's bytes too, give the recorder to the source as its
     * {@link dev.reelflux.core.TransferListener}, as {@link #analyze(URI, HttpSettings)} does.
     */
    public Flux<FrameAnalysis> results(ByteSource source, PipelineRecorder recorder, TimeBudget budget) {
        Objects.requireNonNull(recorder, "recorder");
        // A planner per subscription: it measures that run.
        return Flux.defer(() -> results(source, recorder, new AtomicReference<>(), budget, planner(budget)));
    }

    /** The planner of a clip under {@code budget}, or null when there is none or planning is off. */
    private StridePlanner planner(TimeBudget budget) {
        if (budget == null || settings.maxStride == 1) {
            return null;
        }
        Duration margin = settings.margin != null ? settings.margin : budget.budget().dividedBy(10);
        List<StridePlanner.Model> planned = settings.models.models().stream()
                .map(model -> new StridePlanner.Model(model.name(), model.worker().nanosPerFrame().orElse(Double.NaN),
                        model.worker()))
                .toList();
        return new StridePlanner(planned, budget, margin.toNanos(),
                settings.minStride, settings.maxStride, System::nanoTime);
    }

    private Flux<FrameAnalysis> results(ByteSource source, PipelineRecorder recorder,
                                        AtomicReference<StreamInfo> stream, TimeBudget budget, StridePlanner planner) {
        Objects.requireNonNull(source, "source");
        DecodeListener listening = DecodeListener.recordingTo(recorder).andThen(DecodeListener.onOpened(stream::set));
        ModelFanOut fanOut = settings.models;
        List<String> names = settings.models.models().stream().map(ModelBranch::name).toList();
        if (planner != null) {
            listening = listening.andThen(planning(planner));
            List<ModelBranch> planned = new ArrayList<>();
            for (int m = 0; m < names.size(); m++) {
                int model = m;
                ModelBranch branch = settings.models.models().get(m);
                LongPredicate own = branch.frameFilter();
                planned.add(branch.optFrameFilter(index -> (own == null || own.test(index))
                        && planner.wants(model, index)));
            }
            fanOut = settings.models.withModels(planned);
        }
        VideoDecoder recorded = settings.decoder.optListener(listening.andThen(settings.decoder.listener()));
        ModelFanOut recording = fanOut.optBatchListener((name, batch) -> {
            recorder.batchInferred(batch.frames().size(), batch.predictStartNanos(), batch.predictEndNanos());
            if (planner != null) {
                planner.batchDone(names.indexOf(name), batch.frames().size(),
                        batch.predictEndNanos() - batch.predictStartNanos());
            }
        });
        return Flux.defer(() -> {
            // The pools go back when the clip's results end, their slabs back in them or (after a cancel) on their way.
            Flux<FrameAnalysis> results = Flux.using(
                    () -> {
                        List<SlabPool> clipPools = settings.pools.stream().map(SlabPoolCache::take).toList();
                        if (planner != null) {
                            planner.watch(() -> clipPools.stream()
                                    .anyMatch(pool -> pool.outstanding() >= pool.capacity()));
                        }
                        return clipPools;
                    },
                    clipPools -> recording.decode(recorded, source, clipPools)
                            .doOnNext(frame -> recorder.resultEmitted(frame.frameIndex())),
                    clipPools -> {
                        for (int i = 0; i < clipPools.size(); i++) {
                            settings.pools.get(i).give(clipPools.get(i));
                        }
                    });
            return budget == null ? results : results.transform(budget.guard());
        });
    }

    /** What the planner learns from the decoder: the clip's length and each decoded frame. */
    private static DecodeListener planning(StridePlanner planner) {
        return new DecodeListener() {
            @Override
            public void opened(StreamInfo stream, long openNanos) {
                long declared = stream.frameCount();
                planner.clipFrames(declared > 0 ? declared : stream.duration() == null ? -1
                        : Math.round(stream.duration().toNanos() / 1e9 * stream.fps()));
            }

            @Override
            public void frameDecoded(long index, boolean selected) {
                planner.frameDecoded(index);
            }
        };
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
            TimeBudget clipBudget = settings.budget == null ? null : TimeBudget.startingNow(settings.budget);
            StridePlanner planner = planner(clipBudget);
            AtomicReference<StreamInfo> stream = new AtomicReference<>();
            List<FrameAnalysis> done = Collections.synchronizedList(new ArrayList<>());
            return results(source, recorder, stream, clipBudget, planner)
                    .doOnNext(done::add)
                    .then(Mono.just(Optional.<Throwable>empty()))
                    .onErrorResume(error -> Mono.just(Optional.of(error)))
                    // After a failure, asking the size could mean another request to a server that just failed.
                    .flatMap(error -> (error.isEmpty() ? recorder.recordSize(source) : Mono.<Void>empty())
                            .then(Mono.fromSupplier(() -> {
                                PipelineReport report = recorder.report(clipBudget != null && clipBudget.expired(),
                                        error.orElse(null));
                                if (settings.metrics != null) {
                                    settings.metrics.record(report);
                                }
                                return new Analysis(stream.get(), done, report, recorder.timeline(),
                                        planner == null ? List.of() : planner.changes());
                            })));
        });
    }

    @Override
    public String toString() {
        return "VideoAnalysis[" + settings.models + (settings.budget == null ? "" : ", budget " + settings.budget
                + ", strides " + settings.minStride + ".." + settings.maxStride) + "]";
    }

    private VideoAnalysis with(Consumer<Settings> change) {
        return new VideoAnalysis(settings.with(change));
    }

    /** The slab pools are the analysis's own, shared by its copies. */
    private static final class Settings extends Values<Settings> {
        private ModelFanOut models;
        private VideoDecoder decoder = VideoDecoder.create();
        /** The time budget of a clip (null: none). */
        private Duration budget;
        /** The margin the planner keeps before its deadline (null: a tenth of the budget). */
        private Duration margin;
        /** The strides the planner may choose. */
        private int minStride = 1;
        private int maxStride = 8;
        private List<SlabPoolCache> pools;
        /** Null: no metrics. */
        private PipelineMetrics metrics;
    }
}
