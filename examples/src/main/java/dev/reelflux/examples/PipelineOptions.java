package dev.reelflux.examples;

import dev.reelflux.core.HttpSettings;
import dev.reelflux.decoders.FrameFormat;
import dev.reelflux.decoders.HwAccel;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.examples.CommandLine.UsageException;
import dev.reelflux.inference.ModelSpec;
import dev.reelflux.inference.VideoAnalysis;
import dev.reelflux.inference.YoloSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The pipeline knobs {@code analyze} and {@code serve} share, by option name: what to decode, how to batch, which
 * model on which device, and the time budget. Unset ones keep the library's defaults.
 */
record PipelineOptions(Optional<Path> model, int stride, double fps, int maxFrames, boolean keyframes,
                       Optional<Size> size, boolean letterbox, Optional<Integer> batch, Duration batchWait,
                       Optional<Duration> budget, Optional<Integer> threads, HwAccel hwAccel, Optional<String> device,
                       Optional<Integer> keypoints, Optional<Float> confidence, int connections,
                       boolean adaptiveConnections, Optional<Path> keypointModel, Optional<Size> keypointSize,
                       Optional<Integer> keypointBatch, int keypointStride) {

    /** Options that take a value. */
    static final Set<String> VALUED = Set.of("model", "stride", "fps", "max-frames", "size", "batch", "batch-wait",
            "budget", "threads", "hwaccel", "device", "keypoints", "confidence", "connections", "keypoint-model",
            "keypoint-size", "keypoint-batch", "keypoint-stride");

    /** {@code --connections auto}: adaptive, up to eight. */
    static final int AUTO_CONNECTIONS = 8;

    /** Options that are flags. */
    static final Set<String> FLAGS = Set.of("keyframes", "letterbox");

    /** Reads the options named in {@link #VALUED} and {@link #FLAGS} from {@code values}, ignoring any other key. */
    static PipelineOptions from(OptionValues values) {
        Optional<Path> model = file(values, "model");
        Optional<Path> keypointModel = file(values, "keypoint-model");
        if (keypointModel.isPresent() && model.isEmpty()) {
            throw new UsageException("--keypoint-model runs beside a --model");
        }
        return new PipelineOptions(model,
                values.integer("stride", 1).orElse(1),
                values.positive("fps").orElse(0.0),
                values.integer("max-frames", 1).orElse(0),
                values.flag("keyframes"),
                values.text("size").map(value -> size("size", value)),
                values.flag("letterbox"),
                values.integer("batch", 1),
                Duration.ofMillis(values.integer("batch-wait", 0).orElse(50)),
                values.duration("budget"),
                values.integer("threads", 1),
                values.text("hwaccel").map(PipelineOptions::hwAccel).orElse(HwAccel.AUTO),
                values.text("device").map(PipelineOptions::device),
                values.integer("keypoints", 0),
                values.positive("confidence").map(Double::floatValue),
                auto(values, "connections") ? AUTO_CONNECTIONS : values.integer("connections", 1).orElse(1),
                auto(values, "connections"),
                keypointModel,
                values.text("keypoint-size").map(value -> size("keypoint-size", value)),
                values.integer("keypoint-batch", 1),
                values.integer("keypoint-stride", 1).orElse(1));
    }

    private static Optional<Path> file(OptionValues values, String name) {
        Optional<Path> path = values.text(name).map(Path::of);
        path.filter(p -> !Files.isRegularFile(p)).ifPresent(p -> {
            throw new UsageException("--" + name + ": no such file " + p);
        });
        return path;
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
        return threads.map(decoder::optThreads).orElse(decoder);
    }

    /**
     * The decoder of a decode-only run: {@link #decoder()} with RGB output at {@code --size} when given, else the
     * decoded pictures by reference (nothing reads their pixels, so nothing copies them).
     */
    VideoDecoder decodeOnlyDecoder() {
        return decoder().optOutput(size.map(wh -> FrameFormat.rgb24(wh.width(), wh.height()).optLetterbox(letterbox))
                .orElse(FrameFormat.decoded()));
    }

    /** {@code base} reading over {@code --connections} connections at once (adaptive for {@code auto}). */
    HttpSettings http(HttpSettings base) {
        return adaptiveConnections ? base.optAdaptiveConnections(connections) : base.optConnections(connections);
    }

    private static boolean auto(OptionValues values, String name) {
        return values.text(name).filter(value -> value.equalsIgnoreCase("auto")).isPresent();
    }

    /** The object detector's spec: {@code --model}, {@code --size}, {@code --batch}, {@code --device}. */
    ModelSpec modelSpec() {
        return spec(model.orElseThrow(() -> new UsageException("no --model")), size, batch);
    }

    /** The keypoint model's spec, when there is one: {@code --keypoint-model}, {@code --keypoint-size}, ... */
    Optional<ModelSpec> keypointSpec() {
        return keypointModel.map(path -> spec(path, keypointSize, keypointBatch));
    }

    private ModelSpec spec(Path path, Optional<Size> inputSize, Optional<Integer> batchSize) {
        ModelSpec spec = ModelSpec.create().setModelPath(path);
        if (inputSize.isPresent()) {
            spec = spec.optInputSize(inputSize.get().height(), inputSize.get().width());
        }
        spec = batchSize.map(spec::optBatchSize).orElse(spec);
        return device.map(spec::optDevice).orElse(spec);
    }

    /** Box decoding for a model whose best detection carries {@code keypoints} keypoints. */
    YoloSpec yolo(int keypoints) {
        YoloSpec yolo = YoloSpec.create().optKeypoints(keypoints);
        return confidence.map(yolo::optConfidenceThreshold).orElse(yolo);
    }

    /** The whole pipeline through {@code models}. */
    VideoAnalysis analysis(Models models) {
        VideoAnalysis analysis = VideoAnalysis.create(models.branches(this)).optDecoder(decoder())
                .optBatchWait(batchWait);
        return budget.map(analysis::optBudget).orElse(analysis);
    }

    /** A picture size in pixels. */
    record Size(int width, int height) {
    }

    /** {@code WxH}, the value of option {@code name}. */
    private static Size size(String name, String value) {
        String[] parts = value.toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 2) {
            throw new UsageException("--" + name + ": expected WxH such as 640x640, got '" + value + "'");
        }
        try {
            Size size = new Size(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            if (size.width() > 0 && size.height() > 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below, as any other malformed size
        }
        throw new UsageException("--" + name + ": expected WxH such as 640x640, got '" + value + "'");
    }

    private static HwAccel hwAccel(String value) {
        try {
            return HwAccel.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--hwaccel: expected auto, cuda or none, got '" + value + "'");
        }
    }

    /** {@code cpu} or {@code gpu} ({@code cuda}, {@code cuda:N} too), as a {@link ModelSpec#optDevice} name. */
    private static String device(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        String name = v.equals("gpu") ? "cuda" : v;
        try {
            ModelSpec.create().optDevice(name);
            return name;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--device: expected cpu or gpu, got '" + value + "'");
        }
    }
}
