package dev.reelflux.examples;

import dev.reelflux.core.HttpSettings;
import dev.reelflux.decoders.FrameFormat;
import dev.reelflux.decoders.HwAccel;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.examples.Converters.Size;
import dev.reelflux.inference.ModelSpec;
import dev.reelflux.inference.VideoAnalysis;
import dev.reelflux.inference.YoloSpec;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The pipeline knobs {@code analyze} and {@code serve} share (a picocli mixin): what to decode, how to batch, which
 * model on which device, and the time budget. Unset ones keep the library's defaults.
 */
final class PipelineOptions {

    /** {@code --connections auto}: adaptive, up to eight. */
    static final int AUTO_CONNECTIONS = 8;

    @Option(names = "--model", paramLabel = "m.pt", converter = Converters.ExistingFile.class,
            description = "TorchScript object detector (YOLO layout); without it, analyze only decodes")
    private Path model;
    @Option(names = "--stride", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "every Nth frame (default 1)")
    private int stride = 1;
    @Option(names = "--fps", paramLabel = "F", converter = Converters.PositiveDouble.class,
            description = "frames at about F per second")
    private double fps;
    @Option(names = "--max-frames", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "stop after N frames")
    private int maxFrames;
    @Option(names = "--keyframes", description = "key frames only")
    private boolean keyframes;
    @Option(names = "--size", paramLabel = "WxH", converter = Converters.SizeConverter.class,
            description = "the detector's input size (default: the model's own)")
    private Size size;
    @Option(names = "--letterbox", description = "keep the aspect ratio, padding the rest")
    private boolean letterbox;
    @Option(names = "--batch", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "frames per model call")
    private Integer batch;
    @Option(names = "--batch-wait", paramLabel = "ms", converter = Converters.NonNegativeInt.class,
            description = "longest wait for a partial batch (default 50)")
    private int batchWaitMillis = 50;
    @Option(names = "--budget", paramLabel = "2s", converter = Converters.DurationConverter.class,
            description = "time budget per clip: the planner thins frames to fit, the deadline cuts")
    private Duration budget;
    @Option(names = "--threads", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "decoder threads (default: the machine's cores)")
    private Integer threads;
    @Option(names = "--hwaccel", paramLabel = "auto|cuda|none", description = "hardware decoding (default auto)")
    private HwAccel hwAccel = HwAccel.AUTO;
    @Option(names = "--device", paramLabel = "cpu|gpu", converter = Converters.DeviceConverter.class,
            description = "where the models run")
    private String device;
    @Option(names = "--keypoints", paramLabel = "K", converter = Converters.NonNegativeInt.class,
            description = "keypoints per detection of a pose detector")
    private Integer keypoints;
    @Option(names = "--confidence", paramLabel = "C", converter = Converters.PositiveDouble.class,
            description = "the detections' least confidence")
    private Double confidence;
    @Option(names = "--connections", paramLabel = "N|auto", converter = Converters.ConnectionsConverter.class,
            description = "connections per clip, or auto (adaptive, up to " + AUTO_CONNECTIONS + ")")
    private int connectionsOrAuto = 1;
    @Option(names = "--keypoint-model", paramLabel = "k.pt", converter = Converters.ExistingFile.class,
            description = "a second model beside --model: one-class pose, its keypoints per frame")
    private Path keypointModel;
    @Option(names = "--keypoint-size", paramLabel = "WxH", converter = Converters.SizeConverter.class,
            description = "the keypoint model's input size")
    private Size keypointSize;
    @Option(names = "--keypoint-batch", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "frames per keypoint model call")
    private Integer keypointBatch;
    @Option(names = "--keypoint-stride", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "the keypoint model on every Nth frame (default 1)")
    private int keypointStride = 1;

    /**
     * Checks what no single option can: a keypoint model needs the detector.
     *
     * @throws UsageException naming the options
     */
    void check() {
        if (keypointModel != null && model == null) {
            throw new UsageException("--keypoint-model runs beside a --model");
        }
    }

    Optional<Path> model() {
        return Optional.ofNullable(model);
    }

    int stride() {
        return stride;
    }

    double fps() {
        return fps;
    }

    int maxFrames() {
        return maxFrames;
    }

    /** Sets the frame limit when none was given ({@code serve}'s longest clip). */
    void defaultMaxFrames(int frames) {
        if (maxFrames == 0) {
            maxFrames = frames;
        }
    }

    boolean keyframes() {
        return keyframes;
    }

    Duration batchWait() {
        return Duration.ofMillis(batchWaitMillis);
    }

    Optional<Duration> budget() {
        return Optional.ofNullable(budget);
    }

    Optional<Integer> threads() {
        return Optional.ofNullable(threads);
    }

    HwAccel hwAccel() {
        return hwAccel;
    }

    Optional<Integer> keypoints() {
        return Optional.ofNullable(keypoints);
    }

    Optional<Float> confidence() {
        return Optional.ofNullable(confidence).map(Double::floatValue);
    }

    int connections() {
        return connectionsOrAuto == 0 ? AUTO_CONNECTIONS : connectionsOrAuto;
    }

    boolean adaptiveConnections() {
        return connectionsOrAuto == 0;
    }

    int keypointStride() {
        return keypointStride;
    }

    /** The decoder: threads, hardware decoding and frame selection; output left at the source format. */
    VideoDecoder decoder() {
        VideoDecoder decoder = VideoDecoder.create().optHwAccel(hwAccel).optStride(stride).optKeyframesOnly(keyframes);
        if (fps > 0) {
            decoder = decoder.optTargetFps(fps);
        }
        if (maxFrames > 0) {
            decoder = decoder.optMaxFrames(maxFrames);
        }
        return threads == null ? decoder : decoder.optThreads(threads);
    }

    /**
     * The decoder of a decode-only run: {@link #decoder()} with RGB output at {@code --size} when given, else the
     * decoded pictures by reference (nothing reads their pixels, so nothing copies them).
     */
    VideoDecoder decodeOnlyDecoder() {
        return decoder().optOutput(size == null ? FrameFormat.decoded()
                : FrameFormat.rgb24(size.width(), size.height()).optLetterbox(letterbox));
    }

    /** {@code base} reading over {@code --connections} connections at once (adaptive for {@code auto}). */
    HttpSettings http(HttpSettings base) {
        return adaptiveConnections() ? base.optAdaptiveConnections(connections()) : base.optConnections(connections());
    }

    /** The object detector's spec: {@code --model}, {@code --size}, {@code --batch}, {@code --device}. */
    ModelSpec modelSpec() {
        if (model == null) {
            throw new UsageException("no --model");
        }
        return spec(model, size, batch);
    }

    /** The keypoint model's spec, when there is one: {@code --keypoint-model}, {@code --keypoint-size}, ... */
    Optional<ModelSpec> keypointSpec() {
        return Optional.ofNullable(keypointModel).map(path -> spec(path, keypointSize, keypointBatch));
    }

    private ModelSpec spec(Path path, Size inputSize, Integer batchSize) {
        ModelSpec spec = ModelSpec.create().setModelPath(path);
        if (inputSize != null) {
            spec = spec.optInputSize(inputSize.width(), inputSize.height());
        }
        spec = batchSize == null ? spec : spec.optBatchSize(batchSize);
        return device == null ? spec : spec.optDevice(device);
    }

    /** Box decoding for a model whose best detection carries {@code keypoints} keypoints. */
    YoloSpec yolo(int keypoints) {
        YoloSpec yolo = YoloSpec.create().optKeypoints(keypoints);
        return confidence == null ? yolo : yolo.optConfidenceThreshold(confidence.floatValue());
    }

    /** The whole pipeline through {@code models}. */
    VideoAnalysis analysis(Models models) {
        VideoAnalysis analysis = VideoAnalysis.create(models.branches(this)).optDecoder(decoder())
                .optBatchWait(batchWait());
        return budget == null ? analysis : analysis.optBudget(budget);
    }
}
