package dev.reelflux.inference;

import dev.reelflux.decoders.Letterbox;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import dev.reelflux.inference.internal.DeviceNames;
import dev.reelflux.inference.internal.DjlEnvironment;
import dev.reelflux.inference.internal.SlabTranslator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * A TorchScript model loaded through DJL's PyTorch engine, with the one {@link Predictor} that runs it.
 *
 * <p>Not thread-safe (a DJL predictor is not): hand it to an {@link InferenceWorker}, which calls it from its own
 * thread only and closes it when the worker closes. Outputs come back as {@link BatchResult}s of plain arrays; no
 * NDArray outlives a {@link #predict} call.
 */
public final class DetectorModel implements BatchModel {

    private static final String ENGINE = "PyTorch";

    private final ModelSpec spec;
    private final Device device;
    private final ZooModel<FrameBatch, BatchResult> model;
    private final Predictor<FrameBatch, BatchResult> predictor;
    /** Written by the thread that warms up; read after the worker's start returned, which orders the two. */
    private volatile List<int[]> outputShapes = List.of();

    private DetectorModel(ModelSpec spec, Device device, ZooModel<FrameBatch, BatchResult> model) {
        this.spec = spec;
        this.device = device;
        this.model = model;
        this.predictor = model.newPredictor();
    }

    /**
     * Loads {@code spec}'s model on its device, offline (see {@link ModelSpec} for what DJL reads from the
     * environment). Blocks for the load (a few hundred milliseconds, plus about two seconds the first time libtorch is
     * unpacked). Does not warm up: see {@link #warmUp()}.
     *
     * @throws ModelLoadException when the file is missing or malformed, the device is absent or the engine fails
     */
    public static DetectorModel load(ModelSpec spec) {
        Path path = spec.modelPath();
        DjlEnvironment.prepare(spec.cacheDirectory().orElse(null));
        try {
            Device device = DeviceNames.resolve(spec.device().orElse(null), Engine.getEngine(ENGINE).getGpuCount());
            Criteria<FrameBatch, BatchResult> criteria = Criteria.builder()
                    .setTypes(FrameBatch.class, BatchResult.class)
                    .optModelPath(path)
                    .optEngine(ENGINE)
                    .optDevice(device)
                    // Loads the file's tensors onto our device whatever device the model was exported on.
                    .optOption("mapLocation", "true")
                    .optTranslator(new SlabTranslator())
                    .build();
            return new DetectorModel(spec, device, criteria.loadModel());
        } catch (IOException | ModelNotFoundException | MalformedModelException | EngineException
                 | IllegalArgumentException e) {
            throw new ModelLoadException(path + ": " + e.getMessage(), e);
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    /** The device the model runs on. */
    public Device device() {
        return device;
    }

    /**
     * Runs {@link ModelSpec#warmupBatches()} full batches of zeros, then (unless that is 0) one batch of each smaller
     * size: a clip's last batch, one its wait cut short and those of a thinned selection are smaller, and TorchScript
     * profiles and optimises anew for each input shape it meets, which on the CPU costs a second or two inside a
     * clip. Call it on the thread that will run the real batches (an {@link InferenceWorker} does).
     *
     * @throws ModelLoadException when the model fails on them
     */
    @Override
    public void warmUp() {
        SlabPool pool = new SlabPool(spec.slabShape(), 1);
        List<FrameInfo> frames = new ArrayList<>();
        for (int i = 0; i < spec.batchSize(); i++) {
            frames.add(new FrameInfo(i, 0, Letterbox.identity(spec.inputWidth(), spec.inputHeight())));
        }
        List<Integer> sizes = new ArrayList<>(Collections.nCopies(spec.warmupBatches(), spec.batchSize()));
        for (int size = spec.batchSize() - 1; size >= 1 && spec.warmupBatches() > 0; size--) {
            sizes.add(size);
        }
        for (int size : sizes) {
            try (FrameBatch batch = new FrameBatch(pool.acquire(Duration.ofSeconds(1)), frames.subList(0, size))) {
                List<int[]> shapes = predict(batch).outputs().stream().map(OutputTensor::shape).toList();
                if (size == spec.batchSize()) {
                    outputShapes = shapes;
                }
            } catch (InferenceException | TimeoutException e) {
                throw new ModelLoadException("warm-up failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelLoadException("warm-up interrupted", e);
            }
        }
    }

    /**
     * The shapes of the model's outputs on a full batch, as the last warm-up batch gave them (batch dimension first),
     * so that a caller can check or derive what it decodes (e.g. a pose head's keypoint count, see
     * {@link YoloSpec#keypointsOfOneClassPose}) before the first clip. Empty before {@link #warmUp()}, or with no
     * warm-up batches.
     */
    public List<int[]> outputShapes() {
        return outputShapes;
    }

    /**
     * Runs the model over the batch's filled slots, reading the slab in place. Does not close the batch.
     *
     * @throws InferenceException when the batch does not fit the model's input size, or the model fails on it
     */
    @Override
    public BatchResult predict(FrameBatch batch) {
        SlabShape shape = batch.slab().shape();
        if (shape.height() != spec.inputHeight() || shape.width() != spec.inputWidth()) {
            throw new InferenceException(batch + " does not fit the model input " + spec.inputHeight() + "x"
                    + spec.inputWidth(), null);
        }
        try {
            return predictor.predict(batch);
        } catch (TranslateException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new InferenceException(batch + ": " + cause.getMessage(), e);
        }
    }

    /** Closes the predictor and the model. */
    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    @Override
    public String toString() {
        return "DetectorModel[" + spec.modelPath() + " on " + device + "]";
    }
}
