package dev.reelflux.inference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LetterboxTest {

    @Test
    void fitsFullHdIntoASquareWithPaddingAboveAndBelow() {
        Letterbox box = Letterbox.fit(1920, 1080, 640, 640);

        assertThat(box.scale()).isEqualTo(1.0 / 3);
        assertThat(box.padX()).isZero();
        assertThat(box.padY()).isEqualTo(140);
    }

    @Test
    void mapsModelCoordinatesBackToExactSourcePixels() {
        FrameInfo frame = new FrameInfo(0, 0, 1920, 1080, Letterbox.fit(1920, 1080, 640, 640));

        // A box drawn at source (300, 450)-(600, 900) lands at model (100, 290)-(200, 440).
        assertThat(frame.sourceX(100)).isEqualTo(300f);
        assertThat(frame.sourceY(290)).isEqualTo(450f);
        assertThat(frame.sourceX(200)).isEqualTo(600f);
        assertThat(frame.sourceY(440)).isEqualTo(900f);
    }

    @Test
    void fitsPortraitFramesWithPaddingLeftAndRight() {
        Letterbox box = Letterbox.fit(1080, 1920, 640, 640);

        assertThat(box.scale()).isEqualTo(1.0 / 3);
        assertThat(box.padX()).isEqualTo(140);
        assertThat(box.padY()).isZero();
        assertThat(box.toSourceX(140)).isZero();
    }

    @Test
    void givesTheOddPixelOfPaddingToTheFarSide() {
        Letterbox box = Letterbox.fit(100, 51, 100, 100);

        assertThat(box.padY()).isEqualTo(24); // 49 rows of padding: 24 above, 25 below
    }

    @Test
    void clampsPointsInThePaddingToTheFrame() {
        FrameInfo frame = new FrameInfo(0, 0, 1920, 1080, Letterbox.fit(1920, 1080, 640, 640));

        assertThat(frame.sourceY(10)).isZero();
        assertThat(frame.sourceY(630)).isEqualTo(1080f);
        assertThat(frame.sourceX(-5)).isZero();
        assertThat(frame.sourceX(700)).isEqualTo(1920f);
    }

    @Test
    void noneIsTheIdentity() {
        assertThat(Letterbox.NONE.toSourceX(12.5)).isEqualTo(12.5);
        assertThat(Letterbox.NONE.toSourceY(7)).isEqualTo(7);
    }

    @Test
    void rejectsAZeroScale() {
        assertThatThrownBy(() -> new Letterbox(0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
