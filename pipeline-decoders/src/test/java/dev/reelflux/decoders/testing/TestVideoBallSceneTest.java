package dev.reelflux.decoders.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link BallScene} truth against its own drawing, before any encoder touches it. */
class TestVideoBallSceneTest {

    @ParameterizedTest
    @CsvSource({"320, 240", "1920, 1080", "144, 112", "240, 320"})
    void playerStaysInsideThePictureClearOfTheStampTheLinesAndTheBall(int width, int height) {
        double r = BallScene.radius(width, height);
        for (int i = 0; i < 2000; i++) {
            BallScene.Box player = BallScene.player(i, width, height);
            BallScene.Point ball = BallScene.center(i, width, height);

            assertThat(player.x1()).as("right of the halfway line").isGreaterThan(width / 2.0 + height / 90.0);
            assertThat(player.x2()).isLessThanOrEqualTo(width);
            assertThat(player.x1() >= FrameStamp.areaWidth(width, height)
                    || player.y1() >= FrameStamp.areaHeight(width, height)).as("clear of the stamp").isTrue();
            assertThat(player.y1()).isGreaterThanOrEqualTo(0);
            assertThat(player.y2()).as("above the ball's path").isLessThan(ball.y() - r);
        }
    }

    @ParameterizedTest
    @CsvSource({"320, 240", "1920, 1080", "144, 112", "240, 320"})
    void ballStaysInsideThePictureAndClearOfTheStamp(int width, int height) {
        double r = BallScene.radius(width, height);
        for (int i = 0; i < 2000; i++) {
            BallScene.Point c = BallScene.center(i, width, height);

            assertThat(c.x() - r).isGreaterThanOrEqualTo(r);
            assertThat(c.x() + r).isLessThanOrEqualTo(width - r);
            assertThat(c.y() - r).isGreaterThan(FrameStamp.areaHeight(width, height));
            assertThat(c.y() + r).isLessThanOrEqualTo(height - r);
        }
    }

    @ParameterizedTest
    @CsvSource({"320, 240", "1920, 1080"})
    void pathIsSmooth(int width, int height) {
        for (int i = 1; i < 500; i++) {
            double step = BallScene.center(i, width, height).distanceTo(BallScene.center(i - 1, width, height));

            assertThat(step).isLessThan(width / 40.0);
        }
    }

    @ParameterizedTest
    @CsvSource({"320, 240", "1920, 1080"})
    void drawnBallIsLocatedOnTheTruth(int width, int height) {
        YuvCanvas canvas = YuvCanvas.allocate(width, height);
        for (int i : new int[] {0, 17, 40, 333}) {
            BallScene.draw(canvas, i);

            assertThat(BallScene.locate(canvas.luma(), width, height, width)).hasValueSatisfying(found ->
                    assertThat(found.distanceTo(BallScene.center(i, width, height))).isLessThan(0.25));
        }
    }

    @ParameterizedTest
    @CsvSource({"320, 240", "1920, 1080"})
    void ballIsTheOnlyBrightThingOutsideTheStamp(int width, int height) {
        YuvCanvas canvas = YuvCanvas.allocate(width, height);
        BallScene.draw(canvas, 5);
        BallScene.Point c = BallScene.center(5, width, height);
        double r = BallScene.radius(width, height);
        for (int y = FrameStamp.areaHeight(width, height); y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (Math.hypot(x + 0.5 - c.x(), y + 0.5 - c.y()) > r + 1) {
                    assertThat(canvas.lumaAt(x, y)).as("luma at %d,%d", x, y).isLessThanOrEqualTo(180);
                }
            }
        }
    }

    @Test
    void nothingToLocateOnAnEmptyPitch() {
        assertThat(BallScene.locate(ByteBuffer.allocate(320 * 240), 320, 240, 320)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"320, 240, 5.0", "1920, 1080, 22.5", "144, 112, 4.0"})
    void radiusScalesWithHeight(int width, int height, double radius) {
        assertThat(BallScene.radius(width, height)).isEqualTo(radius);
    }
}
