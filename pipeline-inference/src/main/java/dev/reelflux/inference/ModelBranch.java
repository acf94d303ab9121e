package dev.reelflux.inference;

import dev.reelflux.core.internal.Values;
import dev.reelflux.decoders.FrameFormat;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * One model of a {@link ModelFanOut}: its name (the key of its results in each {@link FrameAnalysis}), the
 * {@link InferenceWorker} that runs it, the batches it takes ({@link SlabShape}: batch size and input size), how its
 * outputs are decoded ({@link YoloSpec}) and which frames it runs on. Immutable; every {@code opt*} returns a
 * configured copy.
 *
 * <pre>{@code
 * ModelBranch objects = ModelBranch.create("objects", detector, detectorSpec.slabShape());
 * ModelBranch pitch = ModelBranch.create("pitch", keypoints, keypointSpec.slabShape())
 *         .optYolo(YoloSpec.create().optKeypoints(32))
 *         .optStride(2);                                   // pitch keypoints every second frame
 * }</pre>
 * Several branches may share one worker (one device): their batches then queue on it.
 */
public final class ModelBranch {

    private final Settings settings;

    private ModelBranch(Settings settings) {
        this.settings = settings;
    }

    /**
     * {@code worker}'s model under {@code name}, on batches of {@code shape} (see {@link ModelSpec#slabShape()}):
     * default YOLO decoding, every frame the decoder selects, letterboxed input, 2 batches in flight.
     */
    public static ModelBranch create(String name, InferenceWorker worker, SlabShape shape) {
        Settings settings = new Settings();
        settings.name = Objects.requireNonNull(name, "name");
        settings.worker = Objects.requireNonNull(worker, "worker");
        settings.shape = Objects.requireNonNull(shape, "shape");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a model needs a name");
        }
        return new ModelBranch(settings);
    }

    /** How the model's outputs become boxes and keypoints (default {@link YoloSpec#create()}). */
    public ModelBranch optYolo(YoloSpec yolo) {
        Objects.requireNonNull(yolo, "yolo");
        return with(s -> s.yolo = yolo);
    }

    /** Runs the model on every {@code stride}-th frame index only (0, stride, 2 x stride, ...); default 1. */
    public ModelBranch optStride(int stride) {
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be >= 1: " + stride);
        }
        return with(s -> s.stride = stride);
    }

    /**
     * Runs the model only on frames whose index passes {@code filter} (and the stride); {@code null}, the default,
     * keeps every frame. A pure function of the index, as {@link dev.reelflux.decoders.VideoDecoder#optFrameFilter}.
     */
    public ModelBranch optFrameFilter(LongPredicate filter) {
        return with(s -> s.filter = filter);
    }

    /** Whether frames keep their aspect ratio in the model input, padded (true, the default), or are stretched. */
    public ModelBranch optLetterbox(boolean letterbox) {
        return with(s -> s.letterbox = letterbox);
    }

    /** Batches of this model and clip in its worker at once (see {@link InferenceStage#optMaxInFlight}); default 2. */
    public ModelBranch optMaxInFlight(int maxInFlight) {
        if (maxInFlight <= 0) {
            throw new IllegalArgumentException("maxInFlight must be positive: " + maxInFlight);
        }
        return with(s -> s.maxInFlight = maxInFlight);
    }

    public String name() {
        return settings.name;
    }

    public InferenceWorker worker() {
        return settings.worker;
    }

    public SlabShape shape() {
        return settings.shape;
    }

    public YoloSpec yolo() {
        return settings.yolo;
    }

    public int stride() {
        return settings.stride;
    }

    /** The index filter, or {@code null}. */
    public LongPredicate frameFilter() {
        return settings.filter;
    }

    public boolean letterbox() {
        return settings.letterbox;
    }

    public int maxInFlight() {
        return settings.maxInFlight;
    }

    /** Whether the model runs on frame {@code index} when the decoder selects it. */
    public boolean wants(long index) {
        return index % settings.stride == 0 && (settings.filter == null || settings.filter.test(index));
    }

    /** {@link #wants} as a decoder output's filter: null when the model runs on every frame. */
    LongPredicate selection() {
        return settings.stride == 1 && settings.filter == null ? null : this::wants;
    }

    /** The decoder output this model's slabs take: planar float of its input size. */
    public FrameFormat inputFormat() {
        return FrameFormat.planarFloat(settings.shape.width(), settings.shape.height())
                .optLetterbox(settings.letterbox);
    }

    /** Slabs per clip: one filling while {@link #maxInFlight} are in the worker. */
    int slabsPerClip() {
        return settings.maxInFlight + 1;
    }

    @Override
    public String toString() {
        return "ModelBranch[" + settings.name + ", " + settings.shape + ", " + settings.yolo
                + (settings.stride == 1 ? "" : ", stride " + settings.stride)
                + (settings.filter == null ? "" : ", filtered") + "]";
    }

    private ModelBranch with(Consumer<Settings> change) {
        return new ModelBranch(settings.with(change));
    }

    /** The values behind a branch; written only while a copy is being made, then published through a final field. */
    private static final class Settings extends Values<Settings> {
        private String name;
        private InferenceWorker worker;
        private SlabShape shape;
        private YoloSpec yolo = YoloSpec.create();
        private int stride = 1;
        private LongPredicate filter;
        private boolean letterbox = true;
        private int maxInFlight = 2;
    }
}
