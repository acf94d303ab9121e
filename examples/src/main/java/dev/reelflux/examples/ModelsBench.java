package dev.reelflux.examples;

import dev.reelflux.core.FileSource;
import dev.reelflux.core.PipelineRecorder;
import dev.reelflux.core.PipelineReport;
import dev.reelflux.decoders.HwAccel;
import dev.reelflux.decoders.Letterbox;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.inference.DetectorModel;
import dev.reelflux.inference.FrameBatch;
import dev.reelflux.inference.FrameInfo;
import dev.reelflux.inference.InferenceWorker;
import dev.reelflux.inference.ModelBranch;
import dev.reelflux.inference.ModelSpec;
import dev.reelflux.inference.SlabPool;
import dev.reelflux.inference.VideoAnalysis;
import dev.reelflux.inference.YoloSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * {@code bench}'s multi-model section, on the real-cost media of {@code ../shared/bench} (a 1080p x264 High clip, a
 * YOLOv8n-size detector and a YOLOv8n-pose model with 32 keypoints): the two models over one decode, against the same
 * two as separate single-model pipelines run one after the other, against the slower of the two alone, and against the
 * sum of the two models' inference time alone (each predictor called directly on full batches). Skipped when the media
 * are absent.
 */
final class ModelsBench {

    /** The media's models have random weights: at 0.9 about as many boxes pass as in a busy real frame. */
    static final float CONFIDENCE = 0.9f;
    private static final Duration FULL_BATCHES = Duration.ofSeconds(30);

    private ModelsBench() {
    }

    /** The first {@code frames} frames of the clip, decoded with {@code threads} threads, {@code runs} rounds. */
    static void run(BenchMedia media, int frames, int threads, int runs) {
        Path clip = media.clip();
        ModelSpec detector = BenchMedia.spec(media.detector());
        ModelSpec pose = BenchMedia.spec(media.pose());
        VideoDecoder decoder = VideoDecoder.create().optThreads(threads).optHwAccel(HwAccel.NONE)
                .optMaxFrames(frames);
        try (DetectorModel detectorDirect = DetectorModel.load(detector);
             DetectorModel poseDirect = DetectorModel.load(pose);
             InferenceWorker detectorWorker = InferenceWorker.start(DetectorModel.load(detector));
             InferenceWorker poseWorker = InferenceWorker.start(DetectorModel.load(pose))) {
            detectorDirect.warmUp();
            poseDirect.warmUp();
            int keypoints = YoloSpec.keypointsOfOneClassPose(poseDirect.outputShapes().get(0)[1]);
            YoloSpec boxes = YoloSpec.create().optConfidenceThreshold(CONFIDENCE);
            ModelBranch objects = ModelBranch.create(Models.OBJECTS, detectorWorker, detector.slabShape())
                    .optYolo(boxes);
            ModelBranch pitch = ModelBranch.create(Models.KEYPOINTS, poseWorker, pose.slabShape())
                    .optYolo(boxes.optKeypoints(keypoints));
            Rounds t = Rounds.run(runs,
                    () -> totalMs(List.of(objects, pitch), decoder, clip, frames),
                    () -> totalMs(List.of(objects), decoder, clip, frames),
                    () -> totalMs(List.of(pitch), decoder, clip, frames),
                    () -> predictMs(detectorDirect, frames),
                    () -> predictMs(poseDirect, frames));
            System.out.printf("two models over one decode (%s, first %d frames; %s and %s at %dx%d, batches of %d,"
                    + " on %s, %s torch threads each; decoder threads %d):%n", clip.getFileName(), frames,
                    media.detector().getFileName(), media.pose().getFileName(), BenchMedia.INPUT, BenchMedia.INPUT,
                    BenchMedia.BATCH,
                    detectorDirect.device(), System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    threads);
            Rounds.report("  both, one decode [ms]", t.of(0), "the two inferences alone",
                    t.combined(3, 4, Double::sum));
            Rounds.report("  both, one decode [ms]", t.of(0), "two pipelines, one after the other",
                    t.combined(1, 2, Double::sum));
            Rounds.report("  both, one decode [ms]", t.of(0), "the slower pipeline alone",
                    t.combined(1, 2, Math::max));
        }
    }

    /**
     * One clip through {@code models}. Batches wait for their last frame however long decoding takes, as the direct
     * predictor's do: a batch cut short by the wait would be a new input shape, which TorchScript profiles anew.
     */
    private static double totalMs(List<ModelBranch> models, VideoDecoder decoder, Path clip, int frames) {
        PipelineReport report = VideoAnalysis.create(models).optDecoder(decoder).optBatchWait(FULL_BATCHES)
                .analyze(FileSource.of(clip), PipelineRecorder.start()).block().report();
        if (report.error() != null || report.work().framesInferred() != (long) frames * models.size()) {
            throw new IllegalStateException("the bench clip did not go through whole: " + report.error() + ", "
                    + report.work().framesInferred() + " frames inferred");
        }
        return report.times().totalMs();
    }

    /** Model time for {@code frames} frames in full batches (their pixels do not change the cost). */
    private static double predictMs(DetectorModel model, int frames) {
        ModelSpec spec = model.spec();
        SlabPool pool = new SlabPool(spec.slabShape(), 1);
        Letterbox identity = Letterbox.identity(spec.inputWidth(), spec.inputHeight());
        long total = 0;
        for (int first = 0; first < frames; first += spec.batchSize()) {
            List<FrameInfo> infos = new ArrayList<>();
            for (int i = first; i < Math.min(frames, first + spec.batchSize()); i++) {
                infos.add(new FrameInfo(i, 0, identity));
            }
            try (FrameBatch batch = new FrameBatch(pool.acquire(Duration.ofSeconds(5)), infos)) {
                long start = System.nanoTime();
                model.predict(batch);
                total += System.nanoTime() - start;
            } catch (TimeoutException | InterruptedException e) {
                throw new IllegalStateException("no slab for the direct predictor", e);
            }
        }
        return total / 1e6;
    }
}
