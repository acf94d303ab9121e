package dev.reelflux.inference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectTrackerTest {

    private static final ObjectTracker DEFAULTS = ObjectTracker.create();

    @Test
    void twoObjectsCrossingPathsKeepTheirIds() {
        List<FrameResult> frames = new ArrayList<>();
        for (int f = 0; f <= 10; f++) {
            Detection a = box(0, 0.9f, 10 * f, 0, 20);        // left to right
            Detection b = box(0, 0.8f, 100 - 10 * f, 5, 20);  // right to left, 5 px lower; they meet at frame 5
            // The list order swaps every frame, so ids cannot follow from the position in the list.
            frames.add(frame(f, f % 2 == 0 ? List.of(a, b) : List.of(b, a)));
        }

        List<TrackedFrame> tracked = track(DEFAULTS, frames);

        for (TrackedFrame frame : tracked) {
            long f = frame.frame().frameIndex();
            assertThat(idAt(frame, 10 * f, 0)).as("object a at frame %d", f).isEqualTo(1);
            assertThat(idAt(frame, 100 - 10 * f, 5)).as("object b at frame %d", f).isEqualTo(2);
        }
    }

    @Test
    void aFastObjectKeepsItsIdThanksToItsVelocity() {
        // A 20 px ball kicked: from frame 3 on it moves 25 px per frame, so its box never overlaps its last one.
        float[] x = {0, 5, 15, 30, 55, 80, 105, 130};
        List<FrameResult> frames = new ArrayList<>();
        for (int f = 0; f < x.length; f++) {
            frames.add(frame(f, List.of(box(0, 0.9f, x[f], 0, 20))));
        }
        assertThat(x[4] - x[3]).as("shift past the box's width").isGreaterThan(20);

        assertThat(ids(track(DEFAULTS, frames))).containsExactly(
                List.of(1), List.of(1), List.of(1), List.of(1), List.of(1), List.of(1), List.of(1), List.of(1));
    }

    @Test
    void aFastSmallBallKeepsItsIdFromItsSecondFrameOn() {
        // 25 px per frame for a 27 px box: an IoU of about 0.04 with its last box, and no velocity yet on frame 1.
        List<FrameResult> frames = new ArrayList<>();
        for (int f = 0; f < 30; f++) {
            frames.add(frame(f, List.of(box(0, 0.9f, 25 * f, 6 * f, 27))));
        }

        assertThat(ids(track(DEFAULTS, frames))).hasSize(30).containsOnly(List.of(1));
    }

    @Test
    void twoFastSmallBallsSideBySideKeepTheirOwnIds() {
        List<FrameResult> frames = new ArrayList<>();
        for (int f = 0; f < 30; f++) {
            Detection a = box(0, 0.9f, 25 * f, 6 * f, 27);
            Detection b = box(0, 0.9f, 25 * f, 150 + 6 * f, 27);
            frames.add(frame(f, f % 2 == 0 ? List.of(a, b) : List.of(b, a)));
        }

        for (TrackedFrame frame : track(DEFAULTS, frames)) {
            long f = frame.frame().frameIndex();
            assertThat(idAt(frame, 25 * f, 6 * f)).as("ball a at frame %d", f).isEqualTo(1);
            assertThat(idAt(frame, 25 * f, 150 + 6 * f)).as("ball b at frame %d", f).isEqualTo(2);
        }
    }

    @Test
    void theWideBufferDoesNotGiveALostObjectsIdToAFarAwayNewOne() {
        List<FrameResult> frames = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            frames.add(frame(f, List.of(box(0, 0.9f, 25 * f, 6 * f, 27))));
        }
        // The ball is gone on frame 5, predicted at (125, 30); another one shows up 90 px to the right of that.
        Detection other = box(0, 0.9f, 215, 30, 27);
        frames.add(frame(5, List.of(other)));
        frames.add(frame(6, List.of(other)));
        assertThat(215 - 125).as("more than 3 box widths away").isGreaterThan(3 * 27);

        assertThat(ids(track(DEFAULTS, frames))).containsExactly(
                List.of(1), List.of(1), List.of(1), List.of(1), List.of(1), List.of(2), List.of(2));
        assertThat(ids(track(DEFAULTS.optWideBuffer(5), frames)).get(5))
                .as("a buffer wide enough does reach it, so the default's reach is what keeps them apart")
                .containsExactly(1);
    }

    @Test
    void aLowScoreDetectionExtendsATrackButNeverStartsOne() {
        List<TrackedFrame> tracked = track(DEFAULTS, List.of(
                frame(0, List.of(box(0, 0.3f, 0, 0, 20))),                              // low, no track: dropped
                frame(1, List.of(box(0, 0.9f, 100, 0, 20))),                            // starts track 1
                frame(2, List.of(box(0, 0.3f, 100, 0, 20), box(0, 0.3f, 0, 0, 20))),    // extends 1; the other dropped
                frame(3, List.of(box(0, 0.05f, 100, 0, 20))),                           // below the low score
                frame(4, List.of(box(0, 0.9f, 100, 0, 20), box(0, 0.9f, 0, 0, 20)))));  // 1 again; 2 is the first new

        assertThat(ids(tracked)).containsExactly(List.of(), List.of(1), List.of(1), List.of(), List.of(1, 2));
        assertThat(tracked.get(2).objects().get(0).detection()).isEqualTo(box(0, 0.3f, 100, 0, 20));
    }

    @Test
    void highScoreDetectionsAreMatchedBeforeLowOnes() {
        List<TrackedFrame> tracked = track(DEFAULTS, List.of(
                frame(0, List.of(box(0, 0.9f, 0, 0, 20))),
                // The low one overlaps the track exactly, the high one less; the high one still wins the track.
                frame(1, List.of(box(0, 0.9f, 5, 0, 20), box(0, 0.3f, 0, 0, 20)))));

        assertThat(ids(tracked)).containsExactly(List.of(1), List.of(1));
        assertThat(tracked.get(1).objects().get(0).detection().x1()).isEqualTo(5);
    }

    @Test
    void aTrackLostForMoreThanMaxLostFramesGetsANewId() {
        ObjectTracker tracker = DEFAULTS.optMaxLostFrames(3);
        Detection ball = box(0, 0.9f, 50, 50, 20);

        List<TrackedFrame> tracked = track(tracker, List.of(
                frame(0, List.of(ball)),
                frame(3, List.of(ball)),     // unmatched for 3 frame indexes: kept
                frame(7, List.of(ball)),     // unmatched for 4: a new track
                frame(8, List.of(ball))));

        assertThat(ids(tracked)).containsExactly(List.of(1), List.of(1), List.of(2), List.of(2));
    }

    @Test
    void lostFramesCountFrameIndexesSoAStrideCountsTwicePerFrame() {
        Detection ball = box(0, 0.9f, 50, 50, 20);

        List<TrackedFrame> tracked = track(DEFAULTS.optMaxLostFrames(3), List.of(
                frame(0, List.of(ball)),
                frame(2, List.of(ball)),
                frame(4, List.of()),         // one frame missed, but two frame indexes
                frame(6, List.of(ball))));   // unmatched for 4 frame indexes: a new track

        assertThat(ids(tracked)).containsExactly(List.of(1), List.of(1), List.of(), List.of(2));
    }

    @Test
    void differentClassesNeverShareATrack() {
        List<TrackedFrame> tracked = track(DEFAULTS, List.of(
                frame(0, List.of(box(0, 0.9f, 0, 0, 20))),
                frame(1, List.of(box(1, 0.9f, 0, 0, 20))),
                frame(2, List.of(box(1, 0.9f, 0, 0, 20), box(0, 0.8f, 0, 0, 20))),
                frame(3, List.of(box(1, 0.3f, 0, 0, 20), box(0, 0.3f, 0, 0, 20)))));

        assertThat(ids(tracked)).containsExactly(List.of(1), List.of(2), List.of(2, 1), List.of(2, 1));
    }

    @Test
    void eachSubscriptionTracksOnItsOwnWithIdsFromOne() {
        Flux<TrackedFrame> tracked = Flux.just(
                        frame(0, List.of(box(0, 0.9f, 0, 0, 20), box(0, 0.9f, 100, 0, 20))),
                        frame(1, List.of(box(0, 0.9f, 200, 0, 20))))
                .transform(DEFAULTS);

        List<List<Integer>> first = ids(tracked.collectList().block());
        List<List<Integer>> second = ids(tracked.collectList().block());

        assertThat(first).containsExactly(List.of(1, 2), List.of(3));
        assertThat(second).isEqualTo(first);
    }

    @Test
    void emitsOneTrackedFramePerFrameResultInOrderAsRequested() {
        List<FrameResult> frames = List.of(
                frame(0, List.of(box(0, 0.9f, 0, 0, 20))),
                frame(1, List.of()),
                frame(2, List.of(box(0, 0.9f, 2, 0, 20))));

        StepVerifier.create(Flux.fromIterable(frames).transform(DEFAULTS), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(10))
                .thenRequest(1)
                .assertNext(t -> assertThat(t.frame()).isSameAs(frames.get(0)))
                .thenRequest(2)
                .assertNext(t -> assertThat(t.frame()).isSameAs(frames.get(1)))
                .assertNext(t -> {
                    assertThat(t.frame()).isSameAs(frames.get(2));
                    assertThat(t.objects()).containsExactly(new TrackedObject(1, frames.get(2).detections().get(0)));
                })
                .verifyComplete();
    }

    @Test
    void errorsWithUpstreamAndOnFrameIndexesThatDoNotIncrease() {
        StepVerifier.create(Flux.concat(Flux.just(frame(0, List.of())), Flux.error(new IllegalStateException("boom")))
                        .transform(DEFAULTS))
                .expectNextCount(1)
                .verifyErrorMessage("boom");

        StepVerifier.create(Flux.just(frame(4, List.of()), frame(4, List.of())).transform(DEFAULTS))
                .expectNextCount(1)
                .verifyErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 after 4"));
    }

    @Test
    void validatesItsArguments() {
        assertThat(DEFAULTS.highScore()).isEqualTo(0.5f);
        assertThat(DEFAULTS.lowScore()).isEqualTo(0.1f);
        assertThat(DEFAULTS.matchIou()).isEqualTo(0.3f);
        assertThat(DEFAULTS.lowMatchIou()).isEqualTo(0.5f);
        assertThat(DEFAULTS.maxLostFrames()).isEqualTo(30);

        assertThatThrownBy(() -> DEFAULTS.optHighScore(1.5f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
        assertThatThrownBy(() -> DEFAULTS.optLowScore(-0.1f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.1");
        assertThatThrownBy(() -> DEFAULTS.optMatchIou(Float.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> DEFAULTS.optLowMatchIou(2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2.0");
        assertThatThrownBy(() -> DEFAULTS.optMaxLostFrames(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> Flux.<FrameResult>empty().transform(DEFAULTS.optLowScore(0.6f)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.6");

        ObjectTracker strict = DEFAULTS.optLowScore(0.6f).optHighScore(0.8f);
        assertThat(strict.lowScore()).isEqualTo(0.6f);
        assertThat(strict.highScore()).isEqualTo(0.8f);
        assertThat(DEFAULTS.highScore()).as("copies leave the original alone").isEqualTo(0.5f);
    }

    @Test
    void validatesTheBuffers() {
        assertThat(DEFAULTS.buffer()).isEqualTo(0.3f);
        assertThat(DEFAULTS.wideBuffer()).isEqualTo(1.0f);

        assertThatThrownBy(() -> DEFAULTS.optBuffer(-0.1f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.1");
        assertThatThrownBy(() -> DEFAULTS.optBuffer(Float.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> DEFAULTS.optWideBuffer(Float.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> DEFAULTS.optWideBuffer(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1.0");
        assertThatThrownBy(() -> Flux.<FrameResult>empty().transform(DEFAULTS.optBuffer(1.5f)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");

        ObjectTracker wide = DEFAULTS.optBuffer(1.5f).optWideBuffer(2);
        assertThat(wide.buffer()).isEqualTo(1.5f);
        assertThat(wide.wideBuffer()).isEqualTo(2);
        assertThat(track(wide, List.of(frame(0, List.of())))).hasSize(1);
        assertThat(DEFAULTS.optBuffer(0).optWideBuffer(0).buffer()).as("plain IoU").isZero();
        assertThat(DEFAULTS.buffer()).as("copies leave the original alone").isEqualTo(0.3f);
    }

    private static List<TrackedFrame> track(ObjectTracker tracker, List<FrameResult> frames) {
        return Flux.fromIterable(frames).transform(tracker).collectList().block();
    }

    private static List<List<Integer>> ids(List<TrackedFrame> frames) {
        return frames.stream().map(f -> f.objects().stream().map(TrackedObject::trackId).toList()).toList();
    }

    /** The id of the object whose box starts at ({@code x1}, {@code y1}); fails when there is none. */
    private static int idAt(TrackedFrame frame, float x1, float y1) {
        return frame.objects().stream()
                .filter(o -> o.detection().x1() == x1 && o.detection().y1() == y1)
                .findFirst().orElseThrow(() -> new AssertionError("no object at " + x1 + "," + y1 + ": " + frame))
                .trackId();
    }

    private static FrameResult frame(long index, List<Detection> detections) {
        return new FrameResult(index, index / 30.0, detections);
    }

    /** A square box of side {@code size} with its top-left corner at ({@code x1}, {@code y1}). */
    private static Detection box(int classId, float score, float x1, float y1, float size) {
        return new Detection(classId, score, x1, y1, x1 + size, y1 + size);
    }
}
