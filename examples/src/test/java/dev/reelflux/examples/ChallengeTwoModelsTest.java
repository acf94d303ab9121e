package dev.reelflux.examples;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.testing.BallScene;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.examples.ChallengeClient.Response;
import dev.reelflux.inference.ModelLoadException;
import dev.reelflux.inference.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static dev.reelflux.examples.ChallengeClient.challenge;
import static dev.reelflux.examples.ChallengeClient.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code serve} answering the real challenge: a detector of the ball and a player for the objects and a pitch keypoint
 * model (32 keypoints, read from its output) at its own input size, over one decode, checked against the scene's
 * truth.
 */
@ExtendWith(NativeLeakGate.class)
class ChallengeTwoModelsTest {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final int FRAMES = 30;
    /** Where the ball scene draws its lines at 320x240: 2-pixel bands starting at x = 158 and y = 216. */
    private static final double HALFWAY_X = 159;
    private static final double TOUCHLINE_Y = 217;

    @TempDir
    static Path dir;
    private static byte[] clip;
    private static Path detector;
    private static Path pitch;
    private static TestHttpServer cdn;

    @BeforeAll
    static void start() {
        clip = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false).optSize(WIDTH, HEIGHT)
                .optFrames(FRAMES).optGop(15).toBytes();
        detector = TestModels.writeBallAndPlayerDetector(dir.resolve("detector.pt"));
        pitch = TestModels.writePitchMarks(dir.resolve("pitch.pt"));
        cdn = TestHttpServer.start();
    }

    @AfterAll
    static void stop() {
        cdn.close();
    }

    @Test
    void answersEveryFrameWithTrackedObjectsAndThePitchKeypointsOfTheSecondModel() {
        URI video = cdn.serve("/match.mp4", clip);
        try (ServeCommand.Running service = serve("--keypoint-size", "320x256", "--keypoint-batch", "4")) {
            Response response = post(service.server(), challenge("two", video.toString()));

            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonArray frames = response.json().getAsJsonArray("frames");
            assertThat(frames).hasSize(FRAMES);
            Map<Integer, Integer> ids = new HashMap<>();
            for (int i = 0; i < FRAMES; i++) {
                JsonObject frame = frames.get(i).getAsJsonObject();
                assertThat(frame.get("frame_number").getAsInt()).isEqualTo(i);
                assertObjects(frame, i, ids);
                JsonArray keypoints = frame.getAsJsonArray("keypoints");
                assertThat(keypoints).as("K from the model's 101 output channels").hasSize(TestModels.PITCH_KEYPOINTS);
                assertNear(keypoints, 0, HALFWAY_X, TOUCHLINE_Y, i);
                assertNear(keypoints, 1, 0, TOUCHLINE_Y, i);
                assertNear(keypoints, 2, HALFWAY_X, 0, i);
                for (int k = 3; k < TestModels.PITCH_KEYPOINTS; k++) {
                    assertNear(keypoints, k, 0, 0, i);
                }
            }
        }
    }

    @Test
    void aKeypointStrideHasTheOtherFramesKeypointsFilledFromTheirNeighbours() {
        URI video = cdn.serve("/stride.mp4", clip);
        try (ServeCommand.Running service = serve("--keypoint-size", "320x256", "--keypoint-stride", "4")) {
            JsonArray frames = post(service.server(), challenge("stride", video.toString())).json()
                    .getAsJsonArray("frames");

            assertThat(frames).hasSize(FRAMES);
            Map<Integer, Integer> ids = new HashMap<>();
            for (int i = 0; i < FRAMES; i++) {
                JsonObject frame = frames.get(i).getAsJsonObject();
                assertObjects(frame, i, ids);
                JsonArray keypoints = frame.getAsJsonArray("keypoints");
                assertThat(keypoints).hasSize(TestModels.PITCH_KEYPOINTS);
                // The last frames (past frame 28, the last the model ran on) have nothing to be filled from.
                if (i <= 28) {
                    assertNear(keypoints, 0, HALFWAY_X, TOUCHLINE_Y, i);
                } else {
                    assertNear(keypoints, 0, 0, 0, i);
                }
                assertThat(frame.has("filled")).as("frame %d", i).isEqualTo(i % 4 != 0);
                if (i % 4 != 0) {
                    assertThat(frame.getAsJsonObject("filled").get("keypoints").getAsBoolean()).isTrue();
                    assertThat(frame.getAsJsonObject("filled").get("objects").getAsBoolean()).isFalse();
                }
            }
        }
    }

    @Test
    void withoutFillingTheFramesAKeypointStrideSkippedHaveEmptyKeypoints() {
        URI video = cdn.serve("/no-fill.mp4", clip);
        try (ServeCommand.Running service = serve("--keypoint-size", "320x256", "--keypoint-stride", "2",
                "--no-fill")) {
            JsonArray frames = post(service.server(), challenge("no-fill", video.toString())).json()
                    .getAsJsonArray("frames");

            assertThat(frames).hasSize(FRAMES);
            for (int i = 0; i < FRAMES; i++) {
                JsonObject frame = frames.get(i).getAsJsonObject();
                assertThat(frame.has("filled")).isFalse();
                if (i % 2 == 0) {
                    assertNear(frame.getAsJsonArray("keypoints"), 0, HALFWAY_X, TOUCHLINE_Y, i);
                } else {
                    assertNear(frame.getAsJsonArray("keypoints"), 0, 0, 0, i);
                }
            }
        }
    }

    @Test
    void aKeypointModelWhoseOutputIsNoPoseHeadIsRefusedAtStartNamingIt() {
        assertThatThrownBy(() -> new ServeCommand(Map.of(), new PrintStream(new ByteArrayOutputStream())).start(
                new String[] {"--port", "0", "--host", "127.0.0.1", "--model", detector.toString(),
                        "--keypoint-model", detector.toString(), "--size", "320x320", "--threads", "1"}))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("model 'keypoints'")
                .hasMessageContaining("not a one-class pose head");
    }

    private static ServeCommand.Running serve(String... keypointOptions) {
        String[] base = {"--port", "0", "--host", "127.0.0.1", "--model", detector.toString(), "--size", "320x320",
                "--batch", "8", "--threads", "1", "--keypoint-model", pitch.toString()};
        String[] args = new String[base.length + keypointOptions.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(keypointOptions, 0, args, base.length, keypointOptions.length);
        return new ServeCommand(Map.of(), new PrintStream(new ByteArrayOutputStream())).start(args);
    }

    /**
     * The ball (class 0) and the player (class 1), each within 2 pixels of the truth and each with the track id it has
     * in every frame ({@code ids}: class to id, filled by the first frame).
     */
    private static void assertObjects(JsonObject frame, int index, Map<Integer, Integer> ids) {
        JsonArray objects = frame.getAsJsonArray("objects");
        assertThat(objects).as("frame %d", index).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonObject object = objects.get(i).getAsJsonObject();
            int classId = object.get("class_id").getAsInt();
            BallScene.Point truth = classId == 0 ? BallScene.center(index, WIDTH, HEIGHT)
                    : BallScene.player(index, WIDTH, HEIGHT).center();
            int id = object.get("id").getAsInt();
            assertThat(ids.computeIfAbsent(classId, c -> id)).as("one track per object").isEqualTo(id);
            JsonArray bbox = object.getAsJsonArray("bbox");
            double cx = (bbox.get(0).getAsDouble() + bbox.get(2).getAsDouble()) / 2;
            double cy = (bbox.get(1).getAsDouble() + bbox.get(3).getAsDouble()) / 2;
            assertThat(Math.hypot(cx - truth.x(), cy - truth.y())).as("class %d in frame %d", classId, index)
                    .isLessThanOrEqualTo(2);
        }
        assertThat(ids.values()).doesNotHaveDuplicates();
    }

    private static void assertNear(JsonArray keypoints, int k, double x, double y, int frame) {
        JsonArray point = keypoints.get(k).getAsJsonArray();
        assertThat(Math.hypot(point.get(0).getAsDouble() - x, point.get(1).getAsDouble() - y))
                .as("keypoint %d of frame %d: %s against (%s, %s)", k, frame, point, x, y).isLessThanOrEqualTo(2);
    }
}
