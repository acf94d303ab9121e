package dev.reelflux.inference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InferenceWorkerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final SlabPool pool = new SlabPool(new SlabShape(2, 4, 4), 8);
    private InferenceWorker worker;

    @AfterEach
    void closeWorker() {
        FakeModel.openAllGates();
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void warmsUpAndPredictsOnItsOwnThreadNeverTheCallers() {
        FakeModel model = FakeModel.immediate();
        worker = InferenceWorker.start(model, WorkerSpec.create().optThreadName("gpu0"));
        assertThat(model.warmUps()).isEqualTo(1);

        worker.submit(Batches.of(pool, 0, 1)).block(WAIT);

        assertThat(model.threads()).hasSize(2).allSatisfy(name -> assertThat(name).startsWith("gpu0-"));
        assertThat(model.threads()).doesNotContain(Thread.currentThread().getName());
    }

    @Test
    void releasesEachBatchOnTheWorkerThreadBeforeEmittingItsResult() {
        SlabPool single = new SlabPool(new SlabShape(1, 4, 4), 1);
        worker = InferenceWorker.start(FakeModel.immediate(), WorkerSpec.create().optThreadName("gpu0"));
        FrameBatch batch = Batches.of(single, 0);
        // The pool hands its only slab to this waiter on the thread that closes the batch.
        Mono<String> closedOn = single.acquire().map(slab -> {
            slab.close();
            return Thread.currentThread().getName();
        }).cache();
        closedOn.subscribe();

        worker.submit(batch).block(WAIT);

        assertThat(closedOn.block(WAIT)).startsWith("gpu0-");
    }

    @Test
    void timesEachBatchFromPredictStartSoQueueingIsNotModelTime() throws Exception {
        FakeModel model = FakeModel.gated();
        worker = InferenceWorker.start(model);
        long submitted = System.nanoTime();
        Mono<BatchResult> first = worker.submit(Batches.of(pool, 0)).cache();
        Mono<BatchResult> second = worker.submit(Batches.of(pool, 1)).cache();
        first.subscribe();
        second.subscribe();
        model.awaitStarted();
        Thread.sleep(50);
        model.release(2);

        BatchResult a = first.block(WAIT);
        BatchResult b = second.block(WAIT);

        assertThat(a.predictStartNanos()).isGreaterThanOrEqualTo(submitted);
        assertThat(a.predictEndNanos() - a.predictStartNanos()).isGreaterThanOrEqualTo(50_000_000L);
        assertThat(b.predictStartNanos()).isGreaterThanOrEqualTo(a.predictEndNanos());
        assertThat(b.predictEndNanos() - b.predictStartNanos()).isLessThan(a.predictEndNanos() - submitted);
    }

    @Test
    void waitsForRoomWhenTheQueueIsFullAndRunsEverythingInOrder() throws Exception {
        FakeModel model = FakeModel.gated();
        worker = InferenceWorker.start(model, WorkerSpec.create().optQueueDepth(2));
        List<Mono<BatchResult>> results = new ArrayList<>();
        for (long frame = 0; frame < 6; frame++) {
            results.add(worker.submit(Batches.of(pool, frame)).cache());
            results.get(results.size() - 1).subscribe();
            if (frame == 0) {
                model.awaitStarted();
            }
        }

        assertThat(worker.queued()).isEqualTo(2);
        assertThat(worker.waiting()).isEqualTo(3);
        assertThat(pool.outstanding()).isEqualTo(6);

        model.release(6);
        List<BatchResult> done = new ArrayList<>();
        for (Mono<BatchResult> result : results) {
            done.add(result.block(WAIT));
        }
        assertThat(Batches.frameIndexes(done)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void aFailingBatchFailsOnlyItsSubmissionAndTheWorkerCarriesOn() {
        worker = InferenceWorker.start(FakeModel.failingOn(3L));

        StepVerifier.create(worker.submit(Batches.of(pool, 2, 3)))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(InferenceException.class)
                        .hasMessageContaining("inference: FrameBatch[frames 2..3")
                        .hasMessageContaining("model failed on frame 3")
                        .hasCauseInstanceOf(IllegalStateException.class))
                .verify(WAIT);
        StepVerifier.create(worker.submit(Batches.of(pool, 4, 5)))
                .assertNext(result -> assertThat(Batches.frameIndexes(List.of(result))).containsExactly(4L, 5L))
                .verifyComplete();
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void cancellingQueuedSubmissionsReleasesTheirBatchesAtOnceAndNeverRunsThem() throws Exception {
        FakeModel model = FakeModel.gated();
        worker = InferenceWorker.start(model, WorkerSpec.create().optQueueDepth(1));
        Mono<BatchResult> running = worker.submit(Batches.of(pool, 0)).cache();
        running.subscribe();
        model.awaitStarted();
        Disposable queued = worker.submit(Batches.of(pool, 1)).subscribe();
        Disposable waiting = worker.submit(Batches.of(pool, 2)).subscribe();

        queued.dispose();
        waiting.dispose();

        assertThat(pool.outstanding()).isEqualTo(1);
        assertThat(worker.queued()).isZero();
        assertThat(worker.waiting()).isZero();
        model.release(3);
        running.block(WAIT);
        assertThat(model.predicted()).containsExactly(0L);
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void cancellingARunningSubmissionReleasesItsBatchWhenPredictEnds() throws Exception {
        FakeModel model = FakeModel.gated();
        worker = InferenceWorker.start(model);
        List<BatchResult> emitted = new ArrayList<>();
        Disposable running = worker.submit(Batches.of(pool, 0)).subscribe(emitted::add);
        model.awaitStarted();

        running.dispose();
        assertThat(pool.outstanding()).isEqualTo(1);
        model.release(1);

        // The worker is free again once the next batch runs; by then the cancelled one was released.
        model.release(1);
        worker.submit(Batches.of(pool, 1)).block(WAIT);
        assertThat(pool.outstanding()).isZero();
        assertThat(emitted).isEmpty();
    }

    @Test
    void closingFailsSubmissionsNotYetRunningWaitsForTheRunningOneAndClosesTheModel() throws Exception {
        FakeModel model = FakeModel.gated();
        worker = InferenceWorker.start(model, WorkerSpec.create().optQueueDepth(1));
        Mono<BatchResult> running = worker.submit(Batches.of(pool, 0)).cache();
        running.subscribe();
        model.awaitStarted();
        Mono<BatchResult> queued = worker.submit(Batches.of(pool, 1)).cache();
        queued.subscribe(result -> { }, error -> { });

        Thread closer = new Thread(worker::close);
        closer.start();
        StepVerifier.create(queued).expectError(InferenceException.class).verify(WAIT);
        assertThat(model.closed()).isFalse();
        model.release(1);
        closer.join(WAIT.toMillis());

        assertThat(running.block(WAIT)).isNotNull();
        assertThat(model.closed()).isTrue();
        assertThat(pool.outstanding()).isZero();
        StepVerifier.create(worker.submit(Batches.of(pool, 2)))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(InferenceException.class)
                        .hasMessageEndingWith(" is closed"))
                .verify(WAIT);
        assertThat(pool.outstanding()).isZero();
        worker.close();
    }

    @Test
    void anErrorFailsItsSubmissionThenStopsTheWorker() {
        FakeModel model = FakeModel.dyingOn(1);
        worker = InferenceWorker.start(model);

        StepVerifier.create(worker.submit(Batches.of(pool, 1)))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(InferenceException.class)
                        .hasCauseInstanceOf(OutOfMemoryError.class))
                .verify(WAIT);
        Batches.eventually(model::closed, "the model closed by the dying worker");
        StepVerifier.create(worker.submit(Batches.of(pool, 2))).expectError(InferenceException.class).verify(WAIT);
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void aFailedWarmUpFailsStartAndClosesTheModel() {
        FakeModel model = FakeModel.immediate().failingWarmUp(new IllegalStateException("no CUDA"));

        assertThatThrownBy(() -> InferenceWorker.start(model))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("no CUDA");
        assertThat(model.closed()).isTrue();
    }

    @Test
    void aBatchIsSubmittedOnlyOnce() {
        worker = InferenceWorker.start(FakeModel.immediate());
        Mono<BatchResult> once = worker.submit(Batches.of(pool, 0));
        once.block(WAIT);

        StepVerifier.create(once).expectError(IllegalStateException.class).verify(WAIT);
    }
}
