package consumer;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.HttpSource;
import dev.reelflux.core.PipelineRecorder;
import dev.reelflux.core.TimeBudget;
import dev.reelflux.core.TransferStats;
import dev.reelflux.decoders.FrameFormat;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.inference.Detection;
import dev.reelflux.inference.DetectorModel;
import dev.reelflux.inference.FrameBatcher;
import dev.reelflux.inference.FrameResult;
import dev.reelflux.inference.InferenceStage;
import dev.reelflux.inference.InferenceWorker;
import dev.reelflux.inference.Keypoint;
import dev.reelflux.inference.ModelBranch;
import dev.reelflux.inference.ModelSpec;
import dev.reelflux.inference.SlabPool;
import dev.reelflux.inference.VideoAnalysis;
import dev.reelflux.inference.YoloSpec;
import dev.reelflux.inference.YoloStage;
import reactor.core.publisher.Flux;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The README's three examples as written there, compiled as a user's module would compile them (from the
 * module path, through the exported packages only). They need model files and a real URL to run, so they are
 * compiled, not run.
 */
final class ReadmeExamples {

    private ReadmeExamples() {
    }

    /** "A pipeline in ten lines". */
    static void pipelineInTenLines(String url) throws Exception {
        ModelSpec model = ModelSpec.create().setModelPath(Path.of("detector.pt"))   // TorchScript, YOLO layout
                .optInputSize(640, 640).optBatchSize(16);                           // GPU when there is one, else CPU
        try (InferenceWorker worker = InferenceWorker.start(DetectorModel.load(model))) {   // load + warm up once
            SlabPool slabs = new SlabPool(model.slabShape(), 3);
            Flux<FrameResult> results = FrameBatcher.create(model.slabShape())
                    .decode(VideoDecoder.create().optOutput(FrameFormat.planarFloat(640, 640).optLetterbox(true)),
                            HttpSource.create(url, HttpSettings.create()), slabs)   // frames decoded into batches
                    .transform(InferenceStage.create(worker))                       // batch k runs while k+1 decodes
                    .transform(YoloStage.create(YoloSpec.create()))                 // boxes + NMS, in source pixels
                    .transform(TimeBudget.startingNow(Duration.ofSeconds(2)).guard());   // at the deadline
            results.blockLast();
        }
    }

    /** "Several models over one decode". */
    static void severalModelsOverOneDecode(String url) throws Exception {
        ModelSpec detectorSpec = ModelSpec.create().setModelPath(Path.of("detector.pt")).optBatchSize(16);
        ModelSpec pitchSpec = ModelSpec.create().setModelPath(Path.of("pitch.pt")).optInputSize(640, 384)
                .optBatchSize(16);
        try (InferenceWorker detector = InferenceWorker.start(DetectorModel.load(detectorSpec));
             InferenceWorker pitch = InferenceWorker.start(DetectorModel.load(pitchSpec))) {
            VideoAnalysis analysis = VideoAnalysis.create(List.of(
                    ModelBranch.create("objects", detector, detectorSpec.slabShape()),
                    ModelBranch.create("pitch", pitch, pitchSpec.slabShape())
                            .optYolo(YoloSpec.create().optKeypoints(32))
                            .optStride(2)));
            analysis.results(HttpSource.create(url, HttpSettings.create()), PipelineRecorder.start(), null)
                    .doOnNext(frame -> {
                        List<Detection> objects = frame.model("objects").orElseThrow().detections();
                        Optional<List<Keypoint>> marks = frame.model("pitch").map(result -> result.keypoints(32));
                    })
                    .blockLast();
        }
    }

    /** "Reading bytes: ByteSource". */
    static void readingBytes() {
        TransferStats stats = new TransferStats();
        HttpSettings settings = HttpSettings.create()             // immutable; every opt* returns a copy
                .optIdleTimeout(Duration.ofSeconds(5))
                .optRetry(3, Duration.ofMillis(100))
                .optListener(stats);                               // TransferStats: bytes, requests, retries, timings
        HttpSource source = HttpSource.create("https://cdn.example.com/match.mp4", settings);

        source.read(0, ByteSource.TO_END)                          // Flux<Chunk>, backpressured
                .doOnNext(chunk -> { consume(chunk.data()); chunk.close(); })   // you own each chunk: close it
                .blockLast();
    }

    private static void consume(ByteBuffer data) {
        data.position(data.limit());
    }
}
