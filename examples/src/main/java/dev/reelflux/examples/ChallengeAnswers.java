package dev.reelflux.examples;

import dev.reelflux.inference.Analysis;
import dev.reelflux.inference.FilledFrame;
import dev.reelflux.inference.FrameAnalysis;
import dev.reelflux.inference.FrameFill;
import dev.reelflux.inference.FrameResult;
import dev.reelflux.inference.Keypoint;
import dev.reelflux.inference.ObjectTracker;
import dev.reelflux.inference.TrackedFrame;
import dev.reelflux.inference.TrackedObject;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a clip's analysis becomes the challenge's frames: the {@value Models#OBJECTS} model's detections tracked, the
 * best detection's keypoints of model {@code keypointSource} in place ({@code keypoints} of them), and, with
 * {@code fill}, every frame of the clip answered ({@link FrameFill}): frames a model skipped get what their inferred
 * neighbours give, and a clip the budget cut is answered to its last frame. Without {@code fill}, the frames analysed.
 *
 * @param frameLimit the most frames the decoder was asked for ({@code --max-frames}), 0 for none: a fill ends there
 */
record ChallengeAnswers(ObjectTracker tracker, String keypointSource, int keypoints, boolean fill, long frameLimit) {

    /** Two hours at 25 frames a second: no answer is filled beyond this many frames. */
    static final long MOST_FRAMES = 180_000;

    Mono<List<ChallengeResponse.Frame>> frames(Analysis done) {
        return Flux.fromIterable(done.results(Models.OBJECTS)).transform(tracker).collectList()
                .map(tracked -> fill ? filled(done, tracked) : analysed(done, tracked));
    }

    private List<ChallengeResponse.Frame> analysed(Analysis done, List<TrackedFrame> tracked) {
        Map<Long, TrackedFrame> byIndex = tracked.stream()
                .collect(Collectors.toMap(frame -> frame.frame().frameIndex(), Function.identity()));
        List<ChallengeResponse.Frame> frames = new ArrayList<>();
        for (FrameAnalysis frame : done.frames()) {
            TrackedFrame objects = byIndex.get(frame.frameIndex());
            List<Keypoint> points = frame.model(keypointSource).map(FrameResult::keypoints).orElse(List.of());
            frames.add(new ChallengeResponse.Frame(frame.frameIndex(), objects == null ? List.of() : objects.objects(),
                    Keypoint.inPlace(points, keypoints), false, false));
        }
        return frames;
    }

    private List<ChallengeResponse.Frame> filled(Analysis done, List<TrackedFrame> tracked) {
        FrameFill filling = FrameFill.create().optClip(framesToAnswer(done, frameLimit), done.stream() == null ? 0
                : done.stream().fps());
        List<FilledFrame> objects = filling.fill(tracked);
        List<FilledFrame> points = filling.fill(done.results(keypointSource).stream()
                .map(result -> new TrackedFrame(result, List.of())).toList());
        List<ChallengeResponse.Frame> frames = new ArrayList<>();
        for (int i = 0; i < Math.max(objects.size(), points.size()); i++) {
            FilledFrame object = i < objects.size() ? objects.get(i) : null;
            FilledFrame point = i < points.size() ? points.get(i) : null;
            List<TrackedObject> found = object == null ? List.of() : object.objects();
            frames.add(new ChallengeResponse.Frame(i, found,
                    Keypoint.inPlace(point == null ? List.of() : point.keypoints(), keypoints),
                    object == null || !object.inferred(), point == null || !point.inferred()));
        }
        return frames;
    }

    /**
     * Frames to answer: the clip's, when it went through (budget or not) and its length is known, at most
     * {@value #MOST_FRAMES} (the count is the container's word, and a forged one must not size the answer) and at most
     * {@code frameLimit} (0: no limit); else -1.
     */
    static long framesToAnswer(Analysis done, long frameLimit) {
        if (done.report().error() != null || done.stream() == null || done.stream().frameCount() < 0) {
            return -1;
        }
        long declared = Math.min(done.stream().frameCount(), MOST_FRAMES);
        return frameLimit > 0 ? Math.min(frameLimit, declared) : declared;
    }
}
