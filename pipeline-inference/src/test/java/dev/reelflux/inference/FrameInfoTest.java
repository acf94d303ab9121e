package dev.reelflux.inference;

import dev.reelflux.decoders.FrameFormat;
import dev.reelflux.decoders.Letterbox;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameInfoTest {

    private static final FrameInfo FULL_HD_IN_640 =
            new FrameInfo(0, 0, Letterbox.fit(FrameFormat.planarFloat(640, 640).optLetterbox(true), 1920, 1080));

    @Test
    void mapsModelCoordinatesBackToExactSourcePixels() {
        // A box drawn at source (300, 450)-(600, 900) lands at model (100, 290)-(200, 440).
        assertThat(FULL_HD_IN_640.sourceX(100)).isEqualTo(300f);
        assertThat(FULL_HD_IN_640.sourceY(290)).isEqualTo(450f);
        assertThat(FULL_HD_IN_640.sourceX(200)).isEqualTo(600f);
        assertThat(FULL_HD_IN_640.sourceY(440)).isEqualTo(900f);
    }

    @Test
    void clampsPointsInThePaddingToTheFrame() {
        assertThat(FULL_HD_IN_640.sourceY(10)).isZero();
        assertThat(FULL_HD_IN_640.sourceY(630)).isEqualTo(1080f);
        assertThat(FULL_HD_IN_640.sourceX(-5)).isZero();
        assertThat(FULL_HD_IN_640.sourceX(700)).isEqualTo(1920f);
    }

    @Test
    void knowsTheSourceSize() {
        assertThat(FULL_HD_IN_640.sourceWidth()).isEqualTo(1920);
        assertThat(FULL_HD_IN_640.sourceHeight()).isEqualTo(1080);
    }
}
