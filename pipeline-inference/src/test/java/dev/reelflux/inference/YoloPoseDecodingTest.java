package dev.reelflux.inference;

import dev.reelflux.decoders.FrameFormat;
import dev.reelflux.decoders.Letterbox;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.reelflux.inference.YoloTensors.anchor;
import static dev.reelflux.inference.YoloTensors.channelsFirst;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class YoloPoseDecodingTest {

    private static final FrameInfo FULL_HD = new FrameInfo(0, 0, Letterbox.fit(FrameFormat.planarFloat(640, 640).optLetterbox(true), 1920, 1080));

    @Test
    void mapsKeypointsBackAndReportsUnsureOnesAbsent() {
        OutputTensor out = channelsFirst(new float[][] {
                anchor(100, 300, 40, 80, 0.9f, 90, 280, 0.95f, 110, 330, 0.3f, 100, 300, 0.5f),
                anchor(400, 300, 40, 80, 0.1f, 0, 0, 1, 0, 0, 1, 0, 0, 1)
        });

        FrameResult frame = YoloStage.create(YoloSpec.create().optKeypoints(3).optKeypointThreshold(0.5f))
                .decode(new BatchResult(List.of(FULL_HD), List.of(out))).get(0);

        assertThat(frame.detections()).containsExactly(new Detection(0, 0.9f, 240, 360, 360, 600, List.of(
                new Keypoint(0, 270, 420, 0.95f),
                new Keypoint(2, 300, 480, 0.5f))));
        assertThat(frame.detections().get(0).keypoint(1)).isEmpty();
        assertThat(frame.keypoints()).extracting(Keypoint::index).containsExactly(0, 2);
    }

    @Test
    void findsTheClassCountBetweenBoxAndKeypoints() {
        OutputTensor twoClassesOneKeypoint = channelsFirst(new float[][] {
                anchor(100, 300, 40, 80, 0.2f, 0.7f, 120, 290, 0.9f)
        });

        Detection detection = YoloStage.create(YoloSpec.create().optKeypoints(1))
                .decode(new BatchResult(List.of(FULL_HD), List.of(twoClassesOneKeypoint))).get(0).detections().get(0);

        assertThat(detection.classId()).isEqualTo(1);
        assertThat(detection.keypoints()).containsExactly(new Keypoint(0, 360, 450, 0.9f));
    }

    @Test
    void aFrameWithoutDetectionsHasNoKeypoints() {
        OutputTensor nothing = channelsFirst(new float[][] {anchor(100, 300, 40, 80, 0.1f, 90, 280, 0.95f)});

        FrameResult frame = YoloStage.create(YoloSpec.create().optKeypoints(1))
                .decode(new BatchResult(List.of(FULL_HD), List.of(nothing))).get(0);

        assertThat(frame.keypoints()).isEmpty();
    }

    @Test
    void keypointsNeedTheV8Layout() {
        assertThatThrownBy(() -> YoloSpec.create().optLayout(YoloLayout.V5).optKeypoints(17))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> YoloSpec.create().optKeypoints(17).optLayout(YoloLayout.V5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
