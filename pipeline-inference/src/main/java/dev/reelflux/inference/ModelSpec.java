package dev.reelflux.inference;

import dev.reelflux.core.internal.Values;
import dev.reelflux.inference.internal.DeviceNames;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How to load a {@link DetectorModel}: an immutable value whose {@code set*} (required) and {@code opt*} (optional)
 * methods return a modified copy.
 *
 * <pre>{@code
 * ModelSpec spec = ModelSpec.create()
 *         .setModelPath(Path.of("yolo11n.torchscript"))
 *         .optInputSize(640, 640)
 *         .optBatchSize(16);
 * }</pre>
 *
 * <h2>What DJL reads from the environment</h2>
 * DJL reads these once, when the PyTorch engine first loads in the JVM; each is an environment variable or a system
 * property of the same name, the environment variable winning:
 * <ul>
 *   <li>{@code DJL_CACHE_DIR}: DJL's cache (default {@code ~/.djl.ai}); {@code ENGINE_CACHE_DIR}: where libtorch is
 *       unpacked (default {@code DJL_CACHE_DIR}). Set both with {@link #optCacheDirectory(Path)}.</li>
 *   <li>{@code DJL_OFFLINE} / system property {@code ai.djl.offline}: no downloads. Loading sets it to {@code true}
 *       unless the application set it: the model is a local file and libtorch comes from the classpath
 *       ({@code pytorch-native-cpu}) or from {@code PYTORCH_LIBRARY_PATH}.</li>
 *   <li>{@code PYTORCH_LIBRARY_PATH}, {@code PYTORCH_VERSION}, {@code PYTORCH_FLAVOR} (e.g. {@code cu124}): a libtorch
 *       installed on the host, the way to run on CUDA (Maven Central has no CUDA build of libtorch 2.7.1).</li>
 *   <li>System properties {@code ai.djl.pytorch.num_threads} / {@code ai.djl.pytorch.num_interop_threads}: CPU
 *       threads per operator / across operators; {@code ai.djl.pytorch.cudnn_benchmark}: let cuDNN pick kernels
 *       for the (fixed) input shape. Loading sets {@code num_threads} to half the cores unless it or
 *       {@code OMP_NUM_THREADS} is set, leaving the other half to the decoder that runs alongside.</li>
 * </ul>
 */
public final class ModelSpec {

    private final Settings settings;

    private ModelSpec(Settings settings) {
        this.settings = settings;
    }

    /** A spec with every default and no model path yet: 640x640 input, batches of 8, two warm-up batches. */
    public static ModelSpec create() {
        return new ModelSpec(new Settings());
    }

    /** Required: the TorchScript file ({@code torch.jit.save} output, e.g. an Ultralytics TorchScript export). */
    public ModelSpec setModelPath(Path modelPath) {
        return with(s -> s.modelPath = Objects.requireNonNull(modelPath, "modelPath"));
    }

    /**
     * Where to run: {@code "cpu"}, {@code "cuda"} (= {@code "cuda:0"}) or {@code "cuda:N"} ({@code "gpuN"} too).
     * By default the first GPU when the engine sees one, else the CPU. Loading fails when a named GPU is absent.
     * The input's precision follows the model's parameters: a model exported in half precision gets FP16 input.
     */
    public ModelSpec optDevice(String device) {
        DeviceNames.gpuIndex(device);
        return with(s -> s.device = device);
    }

    /**
     * The model's input size in pixels, width then height as everywhere in reelflux (default 640x640); batches must
     * come in slabs of this size.
     */
    public ModelSpec optInputSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("input size must be positive: " + width + "x" + height);
        }
        return with(s -> {
            s.inputHeight = height;
            s.inputWidth = width;
        });
    }

    /** Frames per batch (default 8): the slab size {@link #slabShape()} gives, and the warm-up batch size. */
    public ModelSpec optBatchSize(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
        }
        return with(s -> s.batchSize = batchSize);
    }

    /**
     * Dummy full batches run before the first real one (default 2, 0 for none), so that the first real batch does
     * not pay for CUDA kernel loading, cuDNN selection or TorchScript's profiling runs; then one batch of each smaller
     * size, the shapes partial batches have (see {@link DetectorModel#warmUp()}). An {@link InferenceWorker} runs them
     * on its own thread, where that per-thread state is then in place.
     */
    public ModelSpec optWarmupBatches(int warmupBatches) {
        if (warmupBatches < 0) {
            throw new IllegalArgumentException("warmupBatches must not be negative: " + warmupBatches);
        }
        return with(s -> s.warmupBatches = warmupBatches);
    }

    /**
     * Directory for DJL's caches, libtorch's unpacked natives included (sets {@code DJL_CACHE_DIR} and
     * {@code ENGINE_CACHE_DIR} unless the environment or the application already did). Only the first model loaded
     * in a JVM can choose it.
     */
    public ModelSpec optCacheDirectory(Path cacheDirectory) {
        return with(s -> s.cacheDirectory = Objects.requireNonNull(cacheDirectory, "cacheDirectory"));
    }

    /** The model file; throws {@link IllegalStateException} when {@link #setModelPath} was not called. */
    public Path modelPath() {
        if (settings.modelPath == null) {
            throw new IllegalStateException("ModelSpec.setModelPath(...) is required");
        }
        return settings.modelPath;
    }

    /** The device asked for, or empty for "first GPU, else CPU". */
    public Optional<String> device() {
        return Optional.ofNullable(settings.device);
    }

    public int inputHeight() {
        return settings.inputHeight;
    }

    public int inputWidth() {
        return settings.inputWidth;
    }

    public int batchSize() {
        return settings.batchSize;
    }

    public int warmupBatches() {
        return settings.warmupBatches;
    }

    public Optional<Path> cacheDirectory() {
        return Optional.ofNullable(settings.cacheDirectory);
    }

    /** Slabs that fit this model: {@code batchSize x 3 x inputHeight x inputWidth}. */
    public SlabShape slabShape() {
        return new SlabShape(settings.batchSize, settings.inputWidth, settings.inputHeight);
    }

    @Override
    public String toString() {
        Settings v = settings;
        return "ModelSpec[" + v.modelPath + ", device=" + (v.device == null ? "auto" : v.device) + ", input="
                + v.inputHeight + "x" + v.inputWidth + ", batch=" + v.batchSize + ", warmup=" + v.warmupBatches + "]";
    }

    private ModelSpec with(Consumer<Settings> change) {
        return new ModelSpec(settings.with(change));
    }

    private static final class Settings extends Values<Settings> {
        private Path modelPath;
        private String device;
        private int inputHeight = 640;
        private int inputWidth = 640;
        private int batchSize = 8;
        private int warmupBatches = 2;
        private Path cacheDirectory;
    }
}
