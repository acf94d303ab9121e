package dev.reelflux.examples;

import dev.reelflux.decoders.HwAccel;
import dev.reelflux.examples.CommandLine.UsageException;
import dev.reelflux.inference.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineOptionsTest {

    @TempDir
    Path dir;

    @Test
    void unsetOptionsKeepTheDefaults() {
        PipelineOptions options = PipelineOptions.from(new OptionValues(Map.of()));

        assertThat(options.model()).isEmpty();
        assertThat(options.stride()).isEqualTo(1);
        assertThat(options.budget()).isEmpty();
        assertThat(options.hwAccel()).isEqualTo(HwAccel.AUTO);
        assertThat(options.batchWait()).isEqualTo(Duration.ofMillis(50));
        assertThat(options.keypoints()).isEmpty();
    }

    @Test
    void readsEveryKnobIntoTheModelSpecAndTheDecoder() throws IOException {
        Path model = Files.writeString(dir.resolve("m.pt"), "not read here");
        PipelineOptions options = PipelineOptions.from(new OptionValues(Map.ofEntries(
                Map.entry("model", model.toString()), Map.entry("size", "512x384"), Map.entry("batch", "4"),
                Map.entry("device", "GPU"), Map.entry("stride", "3"), Map.entry("fps", "12.5"),
                Map.entry("max-frames", "100"), Map.entry("keyframes", "true"), Map.entry("budget", "1.5s"),
                Map.entry("batch-wait", "20"), Map.entry("threads", "2"), Map.entry("hwaccel", "none"),
                Map.entry("keypoints", "32"), Map.entry("confidence", "0.4"))));

        ModelSpec spec = options.modelSpec();
        assertThat(spec.inputWidth()).isEqualTo(512);
        assertThat(spec.inputHeight()).isEqualTo(384);
        assertThat(spec.batchSize()).isEqualTo(4);
        assertThat(spec.device()).contains("cuda");
        assertThat(options.stride()).isEqualTo(3);
        assertThat(options.fps()).isEqualTo(12.5);
        assertThat(options.maxFrames()).isEqualTo(100);
        assertThat(options.keyframes()).isTrue();
        assertThat(options.budget()).contains(Duration.ofMillis(1500));
        assertThat(options.batchWait()).isEqualTo(Duration.ofMillis(20));
        assertThat(options.threads()).contains(2);
        assertThat(options.hwAccel()).isEqualTo(HwAccel.NONE);
        assertThat(options.keypoints()).contains(32);
        assertThat(options.confidence()).contains(0.4f);
    }

    @Test
    void theKeypointModelHasItsOwnSizeBatchAndStrideBesideTheDetector() throws IOException {
        Path model = Files.writeString(dir.resolve("d.pt"), "not read here");
        Path pitch = Files.writeString(dir.resolve("k.pt"), "not read here");
        PipelineOptions options = PipelineOptions.from(new OptionValues(Map.of("model", model.toString(),
                "size", "1280x736", "keypoint-model", pitch.toString(), "keypoint-size", "640x384",
                "keypoint-batch", "16", "keypoint-stride", "2")));

        ModelSpec keypoints = options.keypointSpec().orElseThrow();
        assertThat(keypoints.modelPath()).isEqualTo(pitch);
        assertThat(keypoints.inputWidth()).isEqualTo(640);
        assertThat(keypoints.inputHeight()).isEqualTo(384);
        assertThat(keypoints.batchSize()).isEqualTo(16);
        assertThat(options.keypointStride()).isEqualTo(2);
        assertThat(options.modelSpec().inputWidth()).isEqualTo(1280);
        assertThat(PipelineOptions.from(new OptionValues(Map.of("model", model.toString()))).keypointSpec())
                .isEmpty();
        assertThatThrownBy(() -> from("keypoint-model", pitch.toString()))
                .hasMessageContaining("--keypoint-model runs beside a --model");
        assertThatThrownBy(() -> from("keypoint-size", "640")).hasMessageContaining("--keypoint-size");
    }

    @Test
    void durationsTakeMillisecondsSecondsMinutesAndIso() {
        assertThat(values("budget", "1500ms").duration("budget")).contains(Duration.ofMillis(1500));
        assertThat(values("budget", "2s").duration("budget")).contains(Duration.ofSeconds(2));
        assertThat(values("budget", "1m").duration("budget")).contains(Duration.ofMinutes(1));
        assertThat(values("budget", "PT0.25S").duration("budget")).contains(Duration.ofMillis(250));
    }

    @Test
    void sizesTakeBytesOrBinaryUnits() {
        assertThat(values("max-video-bytes", "1048576").bytes("max-video-bytes")).contains(1L << 20);
        assertThat(values("max-video-bytes", "512KiB").bytes("max-video-bytes")).contains(512L << 10);
        assertThat(values("max-video-bytes", "64 mib").bytes("max-video-bytes")).contains(64L << 20);
        assertThat(values("max-video-bytes", "1GiB").bytes("max-video-bytes")).contains(1L << 30);
        assertThatThrownBy(() -> values("max-video-bytes", "1.5GiB").bytes("max-video-bytes"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--max-video-bytes: not a size");
        assertThatThrownBy(() -> values("max-video-bytes", "0").bytes("max-video-bytes"))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> values("max-video-bytes", "99999999999999GiB").bytes("max-video-bytes"))
                .hasMessageContaining("out of range");
    }

    @Test
    void aBadValueNamesItsOption() {
        assertThatThrownBy(() -> from("size", "640"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--size");
        assertThatThrownBy(() -> from("size", "0x640")).hasMessageContaining("--size");
        assertThatThrownBy(() -> from("stride", "0")).hasMessageContaining("--stride: must be at least 1");
        assertThatThrownBy(() -> from("fps", "fast")).hasMessageContaining("--fps: not a number");
        assertThatThrownBy(() -> from("budget", "2")).hasMessageContaining("--budget: give a unit");
        assertThatThrownBy(() -> from("budget", "-1s")).hasMessageContaining("--budget: must be positive");
        assertThatThrownBy(() -> from("hwaccel", "vaapi")).hasMessageContaining("--hwaccel");
        assertThatThrownBy(() -> from("device", "tpu")).hasMessageContaining("--device");
        assertThatThrownBy(() -> from("keyframes", "maybe")).hasMessageContaining("--keyframes");
        assertThatThrownBy(() -> from("model", dir.resolve("missing.pt").toString()))
                .hasMessageContaining("--model: no such file");
    }

    @Test
    void connectionsAreANumberOrAuto() {
        assertThat(from("connections", "3").connections()).isEqualTo(3);
        assertThat(from("connections", "auto").connections()).isEqualTo(PipelineOptions.AUTO_CONNECTIONS);
        assertThat(from("connections", "auto").http(dev.reelflux.core.HttpSettings.create()).adaptiveConnections())
                .isTrue();
        assertThat(PipelineOptions.from(new OptionValues(Map.of())).connections()).isEqualTo(1);
        assertThat(from("connections", "2").http(dev.reelflux.core.HttpSettings.create()).connections())
                .isEqualTo(2);
        assertThatThrownBy(() -> from("connections", "0")).hasMessageContaining("--connections");
    }

    @Test
    void aModelSpecNeedsAModel() {
        assertThatThrownBy(() -> PipelineOptions.from(new OptionValues(Map.of())).modelSpec())
                .isInstanceOf(UsageException.class).hasMessage("no --model");
    }

    private static OptionValues values(String name, String value) {
        return new OptionValues(Map.of(name, value));
    }

    private static PipelineOptions from(String name, String value) {
        return PipelineOptions.from(values(name, value));
    }
}
