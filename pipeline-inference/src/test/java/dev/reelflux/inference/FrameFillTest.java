package dev.reelflux.inference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

class FrameFillTest {

    private static final double FPS = 25;

    @Test
    void linearMotionBetweenInferredFramesGivesTheTrueBoxes() {
        List<FilledFrame> frames = FrameFill.create().fill(List.of(moving(0), moving(4), moving(8)));

        assertThat(frames).hasSize(9);
        for (FilledFrame frame : frames) {
            long i = frame.frameIndex();
            assertThat(frame.inferred()).as("frame %d", i).isEqualTo(i % 4 == 0);
            assertThat(frame.timeSeconds()).isCloseTo(i / FPS, offset(1e-9));
            assertThat(frame.objects()).hasSize(1);
            assertThat(frame.objects().get(0)).isEqualTo(moving(i).objects().get(0));
        }
    }

    @Test
    void aTrackSeenOnOneSideOnlyIsNotExtended() {
        TrackedFrame first = frame(0, List.of(object(1, 0, 0), object(2, 100, 0)), List.of());
        TrackedFrame second = frame(4, List.of(object(1, 40, 0), object(3, 200, 0)), List.of());

        List<FilledFrame> frames = FrameFill.create().fill(List.of(first, second));

        for (FilledFrame frame : frames.subList(1, 4)) {
            assertThat(frame.objects()).extracting(TrackedObject::trackId).containsExactly(1);
            assertThat(frame.objects().get(0).detection().x1()).isEqualTo(10f * frame.frameIndex());
        }
    }

    @Test
    void eachKeypointIsFilledBetweenTheNearestInferredFramesThatHaveIt() {
        // Keypoint 0 is missed on frame 4; keypoint 1 is seen on frames 0 and 4 only.
        List<TrackedFrame> inferred = List.of(
                frame(0, List.of(), List.of(point(0, 0), point(1, 0))),
                frame(4, List.of(), List.of(point(1, 40))),
                frame(8, List.of(), List.of(point(0, 80))));

        Map<Long, List<Keypoint>> filled = FrameFill.create().fill(inferred).stream()
                .collect(Collectors.toMap(FilledFrame::frameIndex, FilledFrame::keypoints));

        assertThat(filled.get(2L)).containsExactly(point(0, 20), point(1, 20));
        assertThat(filled.get(6L)).as("keypoint 1 is not carried past frame 4").containsExactly(point(0, 60));
        assertThat(filled.get(4L)).as("an inferred frame stays as inferred").containsExactly(point(1, 40));
    }

    @Test
    void framesOutsideTheInferredOnesHaveNothingUnlessTheLastIsHeld() {
        List<TrackedFrame> inferred = List.of(moving(2), moving(5));

        List<FilledFrame> plain = FrameFill.create().optClip(8, FPS).fill(inferred);
        List<FilledFrame> held = FrameFill.create().optClip(8, FPS).optHoldLast(true).fill(inferred);

        assertThat(plain).extracting(FilledFrame::frameIndex).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(plain).allSatisfy(frame -> assertThat(frame.timeSeconds())
                .isCloseTo(frame.frameIndex() / FPS, offset(1e-9)));
        assertThat(plain.get(0).objects()).isEmpty();
        assertThat(plain.get(7).objects()).isEmpty();
        assertThat(held.get(0).objects()).as("nothing before the first").isEmpty();
        assertThat(held.get(7).objects()).isEqualTo(moving(5).objects());
        assertThat(held.get(7).inferred()).isFalse();
    }

    @Test
    void asAStageItAnswersEveryFrameOnceUpstreamCompletes() {
        StepVerifier.create(Flux.just(moving(0), moving(3)).transform(FrameFill.create().optClip(5, FPS)))
                .expectNextCount(5).verifyComplete();
        StepVerifier.create(Flux.just(moving(3), moving(3)).transform(FrameFill.create()))
                .expectError(IllegalArgumentException.class).verify();
        StepVerifier.create(Flux.concat(Flux.just(moving(0)), Flux.error(new IllegalStateException("decode failed")))
                        .transform(FrameFill.create()))
                .expectErrorMessage("decode failed").verify();
    }

    /** Track 1 moving 10 pixels right a frame, with keypoint 0 at its corner. */
    private static TrackedFrame moving(long index) {
        return frame(index, List.of(object(1, 10f * index, 5)), List.of());
    }

    private static TrackedObject object(int track, float x, float y) {
        return new TrackedObject(track, new Detection(0, 0.9f, x, y, x + 20, y + 30));
    }

    private static Keypoint point(int index, float x) {
        return new Keypoint(index, x, 2 * x, 1);
    }

    private static TrackedFrame frame(long index, List<TrackedObject> objects, List<Keypoint> keypoints) {
        List<Detection> detections = keypoints.isEmpty()
                ? objects.stream().map(TrackedObject::detection).toList()
                : List.of(new Detection(0, 1, 0, 0, 1, 1, keypoints));
        return new TrackedFrame(new FrameResult(index, index / FPS, detections), objects);
    }
}
