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
    private final StridePlanner planner = new StridePlanner(List.of("objects", "pitch"),
            new double[] {Double.NaN, Double.NaN}, TimeBudget.startingNow(Duration.ofSeconds(1), time), 100 * MS, 1, 8,
            () -> time.now(TimeUnit.NANOSECONDS));

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
        StridePlanner warm = new StridePlanner(List.of("objects"), new double[] {20 * MS},
                TimeBudget.startingNow(Duration.ofSeconds(1), time), 100 * MS, 1, 8,
                () -> time.now(TimeUnit.NANOSECONDS));
        warm.clipFrames(100);

        // 100 frames at 20 ms do not fit 900 ms; every third frame (34) does, from the first frame on.
        assertThat(warm.changes()).extracting(StrideChange::fromFrame, StrideChange::stride)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 3));
    }

    @Test
    void anUnknownLengthPlansNothing() {
        decode(0, 10, 100);
        planner.batchDone(0, 8, 800 * MS);

        assertThat(planner.changes()).isEmpty();
    }

    /** Frames {@code from} to {@code to} decoded, {@code millis} passing meanwhile. */
    private void decode(long from, long to, long millis) {
        for (long i = from; i < to; i++) {
            planner.frameDecoded(i);
        }
        time.advanceTimeBy(Duration.ofMillis(millis));
    }
}
