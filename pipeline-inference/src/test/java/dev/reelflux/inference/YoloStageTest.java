package dev.reelflux.inference;

import dev.reelflux.decoders.FrameFormat;
import dev.reelflux.decoders.Letterbox;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.util.List;

import static dev.reelflux.inference.YoloTensors.anchor;
import static dev.reelflux.inference.YoloTensors.anchorsFirst;
import static dev.reelflux.inference.YoloTensors.channelsFirst;
import static dev.reelflux.inference.YoloTensors.unscaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class YoloStageTest {

    private static final YoloStage DEFAULTS = YoloStage.create(YoloSpec.create());

    @Test
    void decodesTheV8LayoutWithClassWiseNms() {
        OutputTensor out = channelsFirst(new float[][] {
                anchor(50, 50, 20, 20, 0.9f, 0.1f),
                anchor(52, 50, 20, 20, 0.8f, 0.2f),  // IoU 0.82 with the first, same class: suppressed
                anchor(51, 50, 20, 20, 0.1f, 0.7f),  // overlaps the first too, but class 1: kept
                anchor(150, 50, 20, 20, 0.3f, 0.2f),
                anchor(250, 50, 20, 20, 0.2f, 0.1f)  // below 0.25
        });

        FrameResult frame = DEFAULTS.decode(unscaled(out)).get(0);

        assertThat(frame.detections()).containsExactly(
                new Detection(0, 0.9f, 40, 40, 60, 60),
                new Detection(1, 0.7f, 41, 40, 61, 60),
                new Detection(0, 0.3f, 140, 40, 160, 60));
    }

    @Test
    void decodesTheV5LayoutScoringObjectnessTimesClass() {
        OutputTensor out = anchorsFirst(new float[][] {
                anchor(30, 30, 10, 10, 0.5f, 0.6f, 0.1f),  // 0.5 x 0.6 = 0.3: kept
                anchor(80, 30, 10, 10, 0.9f, 0.2f, 0.25f), // 0.9 x 0.25 = 0.225: dropped
                anchor(30, 80, 10, 20, 1.0f, 0.1f, 0.8f)
        });

        List<Detection> detections = YoloStage.create(YoloSpec.create().optLayout(YoloLayout.V5))
                .decode(unscaled(out)).get(0).detections();

        assertThat(detections).containsExactly(
                new Detection(1, 0.8f, 25, 70, 35, 90),
                new Detection(0, 0.3f, 25, 25, 35, 35));
    }

    @Test
    void keepsOnlyScoresStrictlyAboveTheConfidenceThreshold() {
        OutputTensor out = channelsFirst(new float[][] {
                anchor(10, 10, 4, 4, 0.5f),
                anchor(30, 10, 4, 4, Math.nextUp(0.5f))
        });

        List<Detection> detections = YoloStage.create(YoloSpec.create().optConfidenceThreshold(0.5f))
                .decode(unscaled(out)).get(0).detections();

        assertThat(detections).extracting(Detection::centerX).containsExactly(30f);
    }

    @Test
    void suppressesOnlyOverlapsStrictlyAboveTheIouThreshold() {
        // (0,0)-(10,10) and (6,0)-(16,10): 40 shared of 160, IoU exactly 0.25.
        OutputTensor out = channelsFirst(new float[][] {anchor(5, 5, 10, 10, 0.9f), anchor(11, 5, 10, 10, 0.8f)});

        assertThat(YoloStage.create(YoloSpec.create().optIouThreshold(0.25f)).decode(unscaled(out)).get(0)
                .detections()).hasSize(2);
        assertThat(YoloStage.create(YoloSpec.create().optIouThreshold(0.24f)).decode(unscaled(out)).get(0)
                .detections()).extracting(Detection::score).containsExactly(0.9f);
    }

    @Test
    void keepsTheBestMaxDetections() {
        OutputTensor out = channelsFirst(new float[][] {
                anchor(10, 10, 4, 4, 0.9f), anchor(30, 10, 4, 4, 0.6f),
                anchor(50, 10, 4, 4, 0.8f), anchor(70, 10, 4, 4, 0.7f)
        });

        assertThat(YoloStage.create(YoloSpec.create().optMaxDetections(2)).decode(unscaled(out)).get(0)
                .detections()).extracting(Detection::score).containsExactly(0.9f, 0.8f);
    }

    @Test
    void mapsEachImagesBoxesBackThroughItsOwnFramesLetterboxAndClampsThem() {
        OutputTensor out = channelsFirst(
                new float[][] {anchor(150, 365, 100, 150, 0.9f)},
                new float[][] {anchor(50, 150, 40, 40, 0.9f)});
        List<FrameInfo> frames = List.of(
                new FrameInfo(10, 0.4, Letterbox.fit(FrameFormat.planarFloat(640, 640).optLetterbox(true), 1920, 1080)),
                new FrameInfo(11, 0.44, Letterbox.fit(FrameFormat.planarFloat(640, 640).optLetterbox(true), 1280, 720)));

        List<FrameResult> results = DEFAULTS.decode(new BatchResult(frames, List.of(out)));

        assertThat(results).extracting(FrameResult::frameIndex).containsExactly(10L, 11L);
        assertThat(results.get(0).detections()).containsExactly(new Detection(0, 0.9f, 300, 450, 600, 900));
        // Its top edge lies 10 rows into the padding above the 1280x720 image: clamped to row 0.
        assertThat(results.get(1).detections()).containsExactly(new Detection(0, 0.9f, 60, 0, 140, 60));
    }

    @Test
    void emitsEveryFrameOfEveryBatchInOrder() {
        BatchResult first = unscaled(channelsFirst(
                new float[][] {anchor(10, 10, 4, 4, 0.9f)}, new float[][] {anchor(10, 10, 4, 4, 0.1f)}));
        BatchResult second = new BatchResult(List.of(new FrameInfo(2, 0.08, Letterbox.identity(640, 640))),
                List.of(channelsFirst(new float[][] {anchor(20, 20, 4, 4, 0.8f)})));

        StepVerifier.create(Flux.just(first, second).transform(DEFAULTS))
                .assertNext(frame -> assertThat(frame.detections()).hasSize(1))
                .assertNext(frame -> assertThat(frame.detections()).isEmpty())
                .assertNext(frame -> assertThat(frame.frameIndex()).isEqualTo(2))
                .verifyComplete();
    }

    @Test
    void failsWhenTheOutputDoesNotMatchTheFrames() {
        BatchResult oneImageTwoFrames = new BatchResult(
                List.of(new FrameInfo(0, 0, Letterbox.identity(640, 640)), new FrameInfo(1, 0, Letterbox.identity(640, 640))),
                List.of(channelsFirst(new float[][] {anchor(10, 10, 4, 4, 0.9f)})));

        StepVerifier.create(Flux.just(oneImageTwoFrames).transform(DEFAULTS))
                .expectErrorMessage("output has 1 images for 2 frames")
                .verify();
    }

    @Test
    void failsWhenTheChannelsLeaveNoClassScores() {
        OutputTensor boxesOnly = channelsFirst(new float[][] {anchor(10, 10, 4, 4)});

        assertThatThrownBy(() -> DEFAULTS.decode(unscaled(boxesOnly)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no class scores");
    }
}
