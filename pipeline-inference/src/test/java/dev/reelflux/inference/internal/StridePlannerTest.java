package dev.reelflux.inference.internal;

import dev.reelflux.core.TimeBudget;
import dev.reelflux.inference.StrideChange;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The planner on a virtual clock: a clip of 100 frames under a 1 s budget, 100 ms of margin, strides 1 to 8. */
class StridePlannerTest {

    private static final long MS = 1_000_000;

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final StridePlanner planner = planner(model("objects", Double.NaN, "gpu0"),
            model("pitch", Double.NaN, "gpu1"));

    @Test
    void aModelThatWouldMissTheDeadlineRunsOnEveryKthFrameForTheRestOfTheClip() {
        planner.clipFrames(100);
        decode(0, 10, 100);
        // 8 frames took 160 ms of model time: the 92 still to run would take 1.84 s, and 800 ms are left.
        planner.batchDone(0, 8, 160 * MS);

        // Stride 3: 2 pending and 30 more, at 20 ms a frame, take 640 ms.
        assertThat(planner.changes()).singleElement().satisfies(change -> {
            assertThat(change).extracting(StrideChange::model, StrideChange::fromFrame, StrideChange::stride)
                    .containsExactly("objects", 10L + StridePlanner.LOOKAHEAD, 3);
            assertThat(change.atMillis()).isEqualTo(100);
        });
        long from = 10 + StridePlanner.LOOKAHEAD;
        assertThat(LongStream.range(0, from).allMatch(i -> planner.wants(0, i))).as("up to the change").isTrue();
        assertThat(LongStream.range(from, from + 10).filter(i -> planner.wants(0, i)).boxed().toList())
                .containsExactly(from, from + 3, from + 6, from + 9);
        assertThat(LongStream.range(0, 40).allMatch(i -> planner.wants(1, i))).as("the other model").isTrue();
    }

    @Test
    void aStrideNarrowsAgainWhenTheModelCatchesUpAndDecodedFramesKeepTheirAnswers() {
        planner.clipFrames(100);
        decode(0, 10, 100);
        planner.batchDone(0, 8, 160 * MS);
        decode(10, 30, 100);
        List<Boolean> decoded = LongStream.range(0, 30 + StridePlanner.LOOKAHEAD)
                .mapToObj(i -> planner.wants(0, i)).toList();
        // Much faster now: 2 ms a frame on average over what ran.
        planner.batchDone(0, 200, 40 * MS);

        assertThat(planner.changes()).extracting(StrideChange::stride).containsExactly(3, 1);
        long from = 30 + StridePlanner.LOOKAHEAD;
        assertThat(planner.changes().get(1).fromFrame()).isEqualTo(from);
        assertThat(LongStream.range(0, from).mapToObj(i -> planner.wants(0, i)).toList()).isEqualTo(decoded);
        assertThat(LongStream.range(from, from + 5).allMatch(i -> planner.wants(0, i))).isTrue();
    }

    @Test
    void aBudgetThatFitsEverythingKeepsEveryFrame() {
        planner.clipFrames(100);
        decode(0, 10, 50);
        planner.batchDone(0, 8, 40 * MS);
        planner.batchDone(1, 8, 40 * MS);

        assertThat(planner.changes()).isEmpty();
    }

    @Test
    void whatCannotFitRunsAtTheWidestStride() {
        planner.clipFrames(100);
        decode(0, 10, 100);
        planner.batchDone(1, 2, 400 * MS);

        assertThat(planner.changes()).extracting(StrideChange::model, StrideChange::stride)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pitch", 8));
    }

    @Test
    void aModelKnownFromEarlierClipsIsPlannedForBeforeItsFirstBatchComesBack() {
        StridePlanner warm = planner(model("objects", 20 * MS, "gpu0"));
        warm.clipFrames(100);

        // 100 frames at 20 ms do not fit 900 ms; every third frame (34) does, from the first frame on.
        assertThat(warm.changes()).extracting(StrideChange::fromFrame, StrideChange::stride)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 3));
    }

    @Test
    void aStrideCountsTheFramesTheModelIsAskedAboutSoThatItDoesNotAliasWithAnotherSelection() {
        planner.clipFrames(100);
        // The model's own selection keeps even frames only: the planner is asked about those.
        for (long i = 0; i < 20; i += 2) {
            planner.wants(0, i);
        }
        for (long i = 0; i < 20; i++) {
            planner.frameDecoded(i);
        }
        time.advanceTimeBy(Duration.ofMillis(100));
        // 40 ms a frame: the 5 pending and the 40 even frames left do not fit 800 ms; every third of them does.
        planner.batchDone(0, 5, 200 * MS);

        long from = planner.changes().get(0).fromFrame();
        List<Long> kept = LongStream.range(from, from + 24).filter(i -> i % 2 == 0)
                .filter(i -> planner.wants(0, i)).boxed().toList();
        assertThat(planner.changes().get(0).stride()).isEqualTo(3);
        assertThat(kept).hasSize(4);
        for (int i = 1; i < kept.size(); i++) {
            assertThat(kept.get(i) - kept.get(i - 1)).isEqualTo(6);
        }
    }

    @Test
    void modelsOnOneWorkerShareTheTimeLeft() {
        StridePlanner shared = planner(model("objects", 5 * MS, "gpu0"), model("pitch", 5 * MS, "gpu0"));
        shared.clipFrames(100);

        // Alone, 100 frames at 5 ms fit 900 ms; two models on one worker have 450 ms each: every other frame.
        assertThat(shared.changes()).extracting(StrideChange::stride).containsExactly(2, 2);
    }

    @Test
    void aSlowInputWidensTheStrideAndAFastOneNarrowsItAgain() {
        planner.clipFrames(100);
        planner.batchDone(0, 1, 2 * MS);
        // 40 ms between frames: the 90 frames left would take 3.6 s at the input's pace, and no stride helps that.
        paced(0, 10, 40);
        assertThat(planner.changes()).extracting(StrideChange::stride).containsExactly(8);

        // Then the bytes come fast: a frame every millisecond, and 2 ms a frame fit the model at every frame.
        paced(10, 40, 1);
        assertThat(planner.changes()).extracting(StrideChange::stride).last().isEqualTo(1);
    }

    @Test
    void timeBetweenFramesWhileAModelHoldsTheDecoderBackIsNotTheInputsPace() {
        planner.watch(() -> true);
        planner.clipFrames(100);
        planner.batchDone(0, 1, 2 * MS);
        paced(0, 20, 40);

        assertThat(planner.changes()).isEmpty();
    }

    @Test
    void theClipsLastFrameIsKeptSoThatAFillReachesTheEnd() {
        planner.clipFrames(100);
        decode(0, 10, 100);
        planner.batchDone(0, 8, 400 * MS);

        assertThat(planner.changes()).isNotEmpty();
        assertThat(LongStream.range(90, 100).filter(i -> planner.wants(0, i)).max()).hasValue(99);
    }

    @Test
    void anUnknownLengthPlansNothing() {
        decode(0, 10, 100);
        planner.batchDone(0, 8, 800 * MS);

        assertThat(planner.changes()).isEmpty();
    }

    private StridePlanner planner(StridePlanner.Model... models) {
        return new StridePlanner(List.of(models), TimeBudget.startingNow(Duration.ofSeconds(1), time), 100 * MS, 1, 8,
                () -> time.now(TimeUnit.NANOSECONDS));
    }

    private static StridePlanner.Model model(String name, double priorNanosPerFrame, String worker) {
        return new StridePlanner.Model(name, priorNanosPerFrame, worker);
    }

    /** Frames {@code from} to {@code to} decoded {@code millis} apart, each asked about for the first model. */
    private void paced(long from, long to, long millis) {
        for (long i = from; i < to; i++) {
            planner.wants(0, i);
            time.advanceTimeBy(Duration.ofMillis(millis));
            planner.frameDecoded(i);
        }
    }

    /** Frames {@code from} to {@code to} decoded, as the decoder asks about each for both models first. */
    private void decode(long from, long to, long millis) {
        for (long i = from; i < to; i++) {
            planner.wants(0, i);
            planner.wants(1, i);
            planner.frameDecoded(i);
        }
        time.advanceTimeBy(Duration.ofMillis(millis));
    }
}
