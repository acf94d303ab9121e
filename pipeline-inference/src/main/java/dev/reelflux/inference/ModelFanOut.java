package dev.reelflux.inference;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.internal.Values;
import dev.reelflux.decoders.FrameOutput;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.VideoFrame;
import dev.reelflux.inference.internal.FrameBatching;
import dev.reelflux.inference.internal.FrameJoin;
import dev.reelflux.inference.internal.FrameRouter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One decode, several models: the decoder's scaler writes each selected frame once into a slot of the batch slab of
 * every {@link ModelBranch} that wants it (each model at its own input size, no intermediate copy of the decoded
 * picture); each model's batches go through its own {@link InferenceStage} on its worker and its own
 * {@link YoloStage}; the results are joined per frame, in display order, into one {@link FrameAnalysis}. With one
 * model this is the plain pipeline. Immutable; every {@code opt*} returns a configured copy.
 *
 * <pre>{@code
 * Flux<FrameAnalysis> frames = ModelFanOut.create(List.of(objects, pitch))
 *         .decode(VideoDecoder.create().optThreads(2), HttpSource.create(url, HttpSettings.create()));
 * }</pre>
 *
 * <ul>
 *   <li><b>Emits</b> one {@link FrameAnalysis} per frame at least one model ran on, in display order, once every model
 *       that runs on it has its result (and every model has passed the frames before it).</li>
 *   <li><b>Backpressures</b>: the slowest model governs. No frame is dropped: while every slab of one model is queued
 *       or in its worker the decode thread waits for that model, and the others wait with it; each model's memory is
 *       its slabs ({@link ModelBranch#maxInFlight()} + 1 per clip).</li>
 *   <li><b>Completes</b> after the last frame's results.</li>
 *   <li><b>Errors</b>: when a model fails (its batch raised, its outputs did not decode), with an
 *       {@link InferenceException} naming it ({@link InferenceException#model()}), after the frames every model
 *       finished; when the decoder or the source fails, with that error after every frame decoded before it.</li>
 *   <li><b>Cancels</b> the decode, every model's queued batches and pending frames; every slab of every model returns
 *       to its pool.</li>
 * </ul>
 * The results are plain values the subscriber owns.
 */
public final class ModelFanOut {

    private final Settings settings;

    private ModelFanOut(Settings settings) {
        this.settings = settings;
    }

    /**
     * The models, in the order their results appear in each {@link FrameAnalysis}; their names must differ. A partial
     * batch leaves after at most 50 ms of waiting.
     */
    public static ModelFanOut create(List<ModelBranch> models) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("at least one model");
        }
        List<ModelBranch> copy = List.copyOf(models);
        if (new HashSet<>(copy.stream().map(ModelBranch::name).toList()).size() != copy.size()) {
            throw new IllegalArgumentException("two models share a name: " + copy);
        }
        Settings values = new Settings();
        values.models = copy;
        return new ModelFanOut(values);
    }

    /** Longest time a partial batch of any model waits for more frames (see {@link FrameBatcher#optMaxWait}). */
    public ModelFanOut optBatchWait(Duration batchWait) {
        if (batchWait.isNegative() || batchWait.isZero()) {
            throw new IllegalArgumentException("batchWait must be positive: " + batchWait);
        }
        return with(s -> s.batchWait = batchWait);
    }

    /**
     * Called with the model's name and each batch result of any model, on its worker's result scheduler, before the
     * result is decoded.
     */
    public ModelFanOut optBatchListener(BiConsumer<String, BatchResult> batchListener) {
        return with(s -> s.batchListener = Objects.requireNonNull(batchListener, "batchListener"));
    }

    /** These settings for {@code models} instead (the same names, in the same order). */
    ModelFanOut withModels(List<ModelBranch> models) {
        return with(s -> s.models = List.copyOf(models));
    }

    public List<ModelBranch> models() {
        return settings.models;
    }

    /** Decodes {@code source} once for every model, with new slab pools for this subscription. */
    public Flux<FrameAnalysis> decode(VideoDecoder decoder, ByteSource source) {
        return Flux.defer(() -> decode(decoder, source,
                settings.models.stream().map(model -> new SlabPool(model.shape(), model.slabsPerClip())).toList()));
    }

    /**
     * {@link #decode(VideoDecoder, ByteSource)} with slabs from {@code pools}, one per model in order and of its shape
     * (a service keeps them between clips). The decoder's selection (stride, target fps, key frames, maximum) applies
     * to every model before each model's own; its outputs are replaced by the models' inputs. One clip at a time per
     * pool.
     */
    public Flux<FrameAnalysis> decode(VideoDecoder decoder, ByteSource source, List<SlabPool> pools) {
        Objects.requireNonNull(decoder, "decoder");
        Objects.requireNonNull(source, "source");
        if (pools.size() != settings.models.size()) {
            throw new IllegalArgumentException(pools.size() + " pools for " + settings.models.size() + " models");
        }
        for (int i = 0; i < settings.models.size(); i++) {
            if (!pools.get(i).shape().equals(settings.models.get(i).shape())) {
                throw new IllegalArgumentException("pool of " + pools.get(i).shape() + " for "
                        + settings.models.get(i));
            }
        }
        return Flux.defer(() -> {
            List<FrameBatching> batchings = new ArrayList<>();
            List<FrameOutput> outputs = new ArrayList<>();
            for (int i = 0; i < settings.models.size(); i++) {
                ModelBranch model = settings.models.get(i);
                FrameBatching batching = new FrameBatching(pools.get(i), settings.batchWait, Schedulers.parallel());
                batchings.add(batching);
                outputs.add(FrameOutput.of(model.inputFormat()).optAllocator(batching.allocator())
                        .optFrameFilter(model.selection()));
            }
            FrameRouter<VideoFrame> router = new FrameRouter<>(decoder.optOutputs(outputs).decode(source),
                    settings.models.size(), VideoFrame::output);
            List<Flux<FrameJoin.Item>> results = new ArrayList<>();
            for (int i = 0; i < settings.models.size(); i++) {
                results.add(results(i, batchings.get(i).batch(router.outlet(i)), router));
            }
            FrameJoin join = new FrameJoin(settings.models.stream().map(ModelBranch::name).toList());
            return Flux.merge(results).concatMap(join::accept);
        });
    }

    /** Model {@code index}'s results for its batches, then its end: never an error signal, which the join decides. */
    private Flux<FrameJoin.Item> results(int index, Flux<FrameBatch> batches, FrameRouter<VideoFrame> router) {
        ModelBranch model = settings.models.get(index);
        return batches
                .transform(InferenceStage.create(model.worker()).optMaxInFlight(model.maxInFlight()))
                .doOnNext(batch -> settings.batchListener.accept(model.name(), batch))
                .transform(YoloStage.create(model.yolo()))
                .<FrameJoin.Item>map(result -> new FrameJoin.Result(index, result))
                .concatWith(Mono.fromSupplier(() -> new FrameJoin.End(index, null, false)))
                .onErrorResume(error -> Mono.just(
                        new FrameJoin.End(index, error, error != router.upstreamError())));
    }

    @Override
    public String toString() {
        return "ModelFanOut" + settings.models;
    }

    private ModelFanOut with(Consumer<Settings> change) {
        return new ModelFanOut(settings.with(change));
    }

    private static final class Settings extends Values<Settings> {
        private List<ModelBranch> models;
        private Duration batchWait = Duration.ofMillis(50);
        private BiConsumer<String, BatchResult> batchListener = (model, batch) -> { };
    }
}
