package dev.reelflux.examples;

import dev.reelflux.core.FileSource;
import dev.reelflux.core.PipelineRecorder;
import dev.reelflux.decoders.HwAccel;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.inference.Analysis;
import dev.reelflux.inference.Detection;
import dev.reelflux.inference.DetectorModel;
import dev.reelflux.inference.FilledFrame;
import dev.reelflux.inference.FrameFill;
import dev.reelflux.inference.FrameResult;
import dev.reelflux.inference.InferenceWorker;
import dev.reelflux.inference.ModelBranch;
import dev.reelflux.inference.ModelSpec;
import dev.reelflux.inference.ObjectTracker;
import dev.reelflux.inference.TrackedObject;
import dev.reelflux.inference.VideoAnalysis;
import dev.reelflux.inference.YoloSpec;
import reactor.core.publisher.Flux;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code bench}'s budget part, on the real-cost clip and detector of {@code ../shared/bench}: the first N frames run
 * without a budget, then under budgets of a quarter, a half and all of that run's time. For each: the frames answered
 * (inferred, or filled between inferred frames), the frames inferred, the finish time against the budget, and the
 * quality of the filled frames: the mean IoU of each filled box against the box of the same class that inference gives
 * on that frame in the run without a budget.
 */
final class BudgetBench {

    private static final double[] SHARES = {0.25, 0.5, 1.0};

    private BudgetBench() {
    }

    static void run(BenchMedia media, Path work, BundledFfmpeg ffmpeg, int frames, int runs) {
        // A clip of its own (packets copied): a limit on emitted frames would reach further into a thinned clip.
        Path clip = work.resolve("budget.mp4");
        ffmpeg.run("-y", "-i", media.clip().toString(), "-frames:v", String.valueOf(frames), "-c", "copy", "-an",
                "-movflags", "+faststart", clip.toString());
        ModelSpec spec = BenchMedia.spec(media.detector());
        VideoDecoder decoder = VideoDecoder.create().optThreads(ffmpeg.threads()).optHwAccel(HwAccel.NONE);
        try (InferenceWorker worker = InferenceWorker.start(DetectorModel.load(spec))) {
            ModelBranch model = ModelBranch.create(Models.OBJECTS, worker, spec.slabShape())
                    .optYolo(YoloSpec.create().optConfidenceThreshold(ModelsBench.CONFIDENCE));
            VideoAnalysis unlimited = VideoAnalysis.create(model).optDecoder(decoder);
            Analysis full = run(unlimited, clip);
            double fullMs = full.report().times().totalMs();
            // The frames the cut clip declares: without a budget they are counted as they come out, under one they are
            // numbered by time (as thinned decoding needs), which differ where a frame at the cut does not decode.
            long clipFrames = full.stream().frameCount();
            Map<Long, FrameResult> truth = full.results(Models.OBJECTS).stream()
                    .collect(Collectors.toMap(FrameResult::frameIndex, Function.identity()));
            System.out.printf("a time budget (%s, first %d frames, the detector at %dx%d; without a budget:"
                    + " %.0f ms):%n", media.clip().getFileName(), frames, BenchMedia.INPUT, BenchMedia.INPUT, fullMs);
            for (double share : SHARES) {
                Duration budget = Duration.ofMillis(Math.round(fullMs * share));
                double[] answered = new double[runs];
                double[] inferred = new double[runs];
                double[] finish = new double[runs];
                double[] iou = new double[runs];
                for (int round = 0; round < runs; round++) {
                    Analysis cut = run(unlimited.optBudget(budget), clip);
                    List<FilledFrame> filled = Flux.fromIterable(cut.results(Models.OBJECTS))
                            .transform(ObjectTracker.create()).transform(FrameFill.create()).collectList().block();
                    // Answered: inferred, or filled between two inferred frames (up to the last inferred one).
                    answered[round] = 100.0 * Math.min(filled.size(), clipFrames) / clipFrames;
                    inferred[round] = 100.0 * cut.results(Models.OBJECTS).size() / clipFrames;
                    finish[round] = cut.report().times().totalMs() / budget.toMillis();
                    iou[round] = meanIou(filled, truth);
                }
                System.out.printf("  budget %3.0f%% (%5d ms): answered %5.1f%%, inferred %5.1f%%, finish %.2f of the"
                        + " budget, filled boxes' IoU with inference %.2f (rounds: answered %.1f-%.1f%%, finish"
                        + " %.2f-%.2f)%n", share * 100, budget.toMillis(), Rounds.median(answered),
                        Rounds.median(inferred), Rounds.median(finish), Rounds.median(iou), min(answered),
                        max(answered), min(finish), max(finish));
            }
        }
    }

    private static Analysis run(VideoAnalysis analysis, Path clip) {
        return analysis.analyze(FileSource.of(clip), PipelineRecorder.start()).block();
    }

    /** Each filled box against the best-overlapping box of its class that inference gives on that frame. */
    private static double meanIou(List<FilledFrame> frames, Map<Long, FrameResult> truth) {
        double sum = 0;
        int count = 0;
        for (FilledFrame frame : frames) {
            FrameResult inferred = truth.get(frame.frameIndex());
            if (frame.inferred() || inferred == null) {
                continue;
            }
            for (TrackedObject object : frame.objects()) {
                double best = 0;
                for (Detection candidate : inferred.detections()) {
                    if (candidate.classId() == object.detection().classId()) {
                        best = Math.max(best, object.detection().iou(candidate));
                    }
                }
                sum += best;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
