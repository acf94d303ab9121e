package dev.reelflux.decoders;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LetterboxTest {

    private static Letterbox fit(int sourceWidth, int sourceHeight, int width, int height) {
        return Letterbox.fit(FrameFormat.planarFloat(width, height).optLetterbox(true), sourceWidth, sourceHeight);
    }

    @Test
    void fitsFullHdIntoASquareWithPaddingAboveAndBelow() {
        Letterbox box = fit(1920, 1080, 640, 640);

        assertThat(box.scaleX()).isEqualTo(1.0 / 3);
        assertThat(box.scaleY()).isEqualTo(1.0 / 3);
        assertThat(box.padLeft()).isZero();
        assertThat(box.padTop()).isEqualTo(140);
        assertThat(box.toSourceX(100)).isEqualTo(300);
        assertThat(box.toSourceY(290)).isEqualTo(450);
    }

    @Test
    void fitsPortraitFramesWithPaddingLeftAndRight() {
        Letterbox box = fit(1080, 1920, 640, 640);

        assertThat(box.padLeft()).isEqualTo(140);
        assertThat(box.padTop()).isZero();
        assertThat(box.toSourceX(140)).isZero();
    }

    @Test
    void givesTheOddPixelOfPaddingToTheFarSide() {
        assertThat(fit(100, 51, 100, 100).padTop()).isEqualTo(24); // 49 rows: 24 above, 25 below
    }

    @Test
    void stretchesWithoutPaddingWhenNotLetterboxed() {
        Letterbox box = Letterbox.fit(FrameFormat.planarFloat(640, 640), 1920, 1080);

        assertThat(box.padLeft()).isZero();
        assertThat(box.padTop()).isZero();
        assertThat(box.toSourceY(640)).isEqualTo(1080);
    }

    @Test
    void identityMapsPointsToThemselves() {
        Letterbox box = Letterbox.identity(320, 240);
        assertThat(box.toSourceX(12.5)).isEqualTo(12.5);
        assertThat(box.toSourceY(7)).isEqualTo(7);
    }
}
