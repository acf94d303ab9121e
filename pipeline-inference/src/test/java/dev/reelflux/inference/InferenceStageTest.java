package dev.reelflux.inference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;

import static dev.reelflux.inference.Batches.eventually;
import static dev.reelflux.inference.Batches.frameIndexes;
import static org.assertj.core.api.Assertions.assertThat;

class InferenceStageTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final SlabShape SHAPE = new SlabShape(2, 4, 4);

    private InferenceWorker worker;

    @AfterEach
    void closeWorker() {
        FakeModel.openAllGates();
        worker.close();
    }

    @Test
    void twoStreamsSharingOneWorkerBothCompleteInOrder() {
        FakeModel model = FakeModel.immediate();
        worker = InferenceWorker.start(model);
        SlabPool poolA = new SlabPool(SHAPE, 3);
        SlabPool poolB = new SlabPool(SHAPE, 3);

        var results = Mono.zip(
                Batches.stream(poolA, 0, 20).transform(InferenceStage.create(worker)).collectList(),
                Batches.stream(poolB, 1000, 20).transform(InferenceStage.create(worker)).collectList()
        ).block(WAIT);

        assertThat(frameIndexes(results.getT1())).hasSize(40).isSorted().startsWith(0L, 1L);
        assertThat(frameIndexes(results.getT2())).hasSize(40).isSorted().startsWith(1000L, 1001L);
        assertThat(model.predicted()).hasSize(80);
        assertThat(poolA.outstanding() + poolB.outstanding()).isZero();
    }

    @Test
    void keepsAtMostMaxInFlightBatchesOfAStreamSubmitted() throws Exception {
        FakeModel model = FakeModel.gated();
        worker = InferenceWorker.start(model);
        SlabPool pool = new SlabPool(SHAPE, 6);

        StepVerifier.create(Batches.stream(pool, 0, 6).transform(InferenceStage.create(worker).optMaxInFlight(2)))
                .then(() -> awaitStarted(model))
                // The second batch reaches the worker's queue as soon as its slab is acquired upstream.
                .then(() -> eventually(() -> worker.queued() == 1, "the second batch queued"))
                .then(() -> {
                    assertThat(pool.outstanding()).isEqualTo(2);
                    model.release(6);
                })
                .expectNextCount(6)
                .verifyComplete();
        assertThat(model.predicted()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    }

    /** Repeated: the error and the results before it travel on different threads, so a wrong order is a race. */
    @RepeatedTest(100)
    void aFailingBatchErrorsOnlyAfterTheResultsOfTheBatchesBeforeIt() {
        // Batches hold two frames each (0-1, 2-3, 4-5, ...): the third fails, the two before it come out first.
        worker = InferenceWorker.start(FakeModel.failingOn(4L));
        SlabPool pool = new SlabPool(SHAPE, 6);

        StepVerifier.create(Batches.stream(pool, 0, 6).transform(InferenceStage.create(worker).optMaxInFlight(3)))
                .assertNext(result -> assertThat(frameIndexes(List.of(result))).containsExactly(0L, 1L))
                .assertNext(result -> assertThat(frameIndexes(List.of(result))).containsExactly(2L, 3L))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(InferenceException.class))
                .verify(WAIT);
        eventually(() -> pool.outstanding() == 0, "every slab back in the pool");
    }

    enum Ending { COMPLETE, MODEL_ERROR, UPSTREAM_ERROR, CANCEL }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void returnsEverySlabExactlyOnce(Ending ending) {
        worker = InferenceWorker.start(FakeModel.failingOn(ending == Ending.MODEL_ERROR ? 4L : -1L));
        SlabPool pool = new SlabPool(SHAPE, 3);
        Flux<FrameBatch> batches = Batches.stream(pool, 0, 6);
        if (ending == Ending.UPSTREAM_ERROR) {
            batches = batches.concatWith(Flux.error(new IllegalStateException("decoder failed")));
        }
        StepVerifier.FirstStep<BatchResult> steps = StepVerifier.create(
                batches.transform(InferenceStage.create(worker)));

        switch (ending) {
            case COMPLETE -> steps.expectNextCount(6).expectComplete().verify(WAIT);
            case MODEL_ERROR -> steps.expectNextCount(2).expectError(InferenceException.class).verify(WAIT);
            case UPSTREAM_ERROR -> steps.expectNextCount(6)
                    .expectError(IllegalStateException.class).verify(WAIT);
            case CANCEL -> steps.expectNextCount(1).thenCancel().verify(WAIT);
        }

        eventually(() -> pool.outstanding() == 0, "every slab back in the pool");
        assertThat(pool.acquired()).isEqualTo(pool.released()).isPositive();
    }

    @Test
    void cancellingMidBatchStopsAtOnceAndReleasesTheRunningBatchWhenItEnds() throws Exception {
        FakeModel model = FakeModel.gated();
        worker = InferenceWorker.start(model);
        SlabPool pool = new SlabPool(SHAPE, 3);

        StepVerifier.create(Batches.stream(pool, 0, 6).transform(InferenceStage.create(worker)))
                .then(() -> awaitStarted(model))
                .thenCancel()
                .verify(WAIT);

        assertThat(pool.outstanding()).as("the running batch, still in the model").isEqualTo(1);
        model.release(1);
        eventually(() -> pool.outstanding() == 0, "the running batch released");
        assertThat(model.predicted()).containsExactly(0L, 1L);
    }

    @Test
    void closesTheBatchesUpstreamDropsOnCancel() throws Exception {
        FakeModel model = FakeModel.gated();
        worker = InferenceWorker.start(model);
        SlabPool pool = new SlabPool(SHAPE, 6);
        Flux<FrameBatch> buffered = Batches.stream(pool, 0, 6).publishOn(Schedulers.single(), 8);

        StepVerifier.create(buffered.transform(InferenceStage.create(worker).optMaxInFlight(1)))
                .then(() -> awaitStarted(model))
                .then(() -> eventually(() -> pool.outstanding() == 6, "six batches buffered"))
                .thenCancel()
                .verify(WAIT);

        eventually(() -> pool.outstanding() == 1, "buffered batches closed");
        model.release(1);
        eventually(() -> pool.outstanding() == 0, "the running batch released");
    }

    private static void awaitStarted(FakeModel model) {
        try {
            model.awaitStarted();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
