package dev.reelflux.inference.internal;

import dev.reelflux.decoders.TruncatedMediaException;
import dev.reelflux.inference.FrameAnalysis;
import dev.reelflux.inference.FrameResult;
import dev.reelflux.inference.InferenceException;
import dev.reelflux.inference.internal.FrameJoin.End;
import dev.reelflux.inference.internal.FrameJoin.Item;
import dev.reelflux.inference.internal.FrameJoin.Result;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FrameJoinTest {

    private static final List<String> MODELS = List.of("objects", "pitch");

    @Test
    void aFrameLeavesOnceEveryModelHasPassedItInDisplayOrder() {
        FrameJoin join = new FrameJoin(MODELS);

        assertThat(indexes(join.accept(result(0, 0)), join.accept(result(0, 1)))).isEmpty();
        assertThat(indexes(join.accept(result(1, 0)))).containsExactly(0L);
        assertThat(indexes(join.accept(result(1, 1)), join.accept(result(1, 2)))).containsExactly(1L);
        assertThat(indexes(join.accept(new End(0, null, false)))).containsExactly(2L);
    }

    @Test
    void aFrameAModelSkippedHasNoEntryForItButWaitsForItToPass() {
        FrameJoin join = new FrameJoin(MODELS);
        // The pitch model runs on even frames only.
        join.accept(result(0, 0));
        join.accept(result(0, 1));
        join.accept(result(0, 2));

        List<FrameAnalysis> first = join.accept(result(1, 0)).collectList().block();
        List<FrameAnalysis> rest = Flux.concat(join.accept(result(1, 2)), join.accept(new End(0, null, false)),
                join.accept(new End(1, null, false))).collectList().block();

        assertThat(first).extracting(FrameAnalysis::frameIndex).containsExactly(0L);
        assertThat(rest).extracting(FrameAnalysis::frameIndex).containsExactly(1L, 2L);
        assertThat(rest.get(0).models()).containsOnlyKeys("objects");
        assertThat(rest.get(1).models()).containsOnlyKeys("objects", "pitch");
    }

    @Test
    void aFailingModelEndsTheClipAfterTheFramesEveryModelFinishedAndIsNamed() {
        FrameJoin join = new FrameJoin(MODELS);
        join.accept(result(1, 0));
        join.accept(result(1, 1));
        join.accept(result(0, 0));

        // The pitch model fails after frame 1; frame 1 still waits for the objects model.
        StepVerifier.create(join.accept(new End(1, new InferenceException("boom", null), true)))
                .verifyComplete();
        StepVerifier.create(Flux.concat(join.accept(result(0, 1)), join.accept(result(0, 2))))
                .assertNext(frame -> assertThat(frame.frameIndex()).isEqualTo(1))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(InferenceException.class)
                        .hasMessage("inference: model 'pitch': boom"))
                .verify();
    }

    @Test
    void aFailureInAModelsOwnStagesIsTypedAsTheModelsToo() {
        FrameJoin join = new FrameJoin(MODELS);

        StepVerifier.create(join.accept(new End(0, new IllegalArgumentException("84 channels"), true)))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(InferenceException.class)
                        .hasMessageContaining("model 'objects'").hasMessageContaining("84 channels"))
                .verify();
    }

    @Test
    void anUpstreamErrorEndsTheClipAfterEveryFrame() {
        FrameJoin join = new FrameJoin(MODELS);
        TruncatedMediaException truncated = new TruncatedMediaException("decode", "cut", 0, null, null);
        assertThat(indexes(join.accept(result(0, 0)), join.accept(result(1, 0)), join.accept(result(0, 1))))
                .containsExactly(0L);

        StepVerifier.create(Flux.concat(join.accept(new End(0, truncated, false)),
                        join.accept(new End(1, truncated, false))))
                .assertNext(frame -> assertThat(frame.models()).containsOnlyKeys("objects"))
                .expectErrorMatches(error -> error == truncated)
                .verify();
    }

    private static Item result(int model, long frame) {
        return new Result(model, new FrameResult(frame, frame / 25.0, List.of()));
    }

    @SafeVarargs
    private static List<Long> indexes(Flux<FrameAnalysis>... steps) {
        return Flux.concat(steps).map(FrameAnalysis::frameIndex).collectList().block();
    }
}
