package dev.reelflux.examples;

import dev.reelflux.decoders.HwAccel;
import dev.reelflux.inference.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineOptionsTest {

    @TempDir
    Path dir;

    @Test
    void unsetOptionsKeepTheDefaults() {
        PipelineOptions options = ParsedOptions.pipeline();

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
        PipelineOptions options = ParsedOptions.pipeline("--model", model.toString(), "--size", "512x384",
                "--batch", "4", "--device", "GPU", "--stride", "3", "--fps", "12.5", "--max-frames", "100",
                "--keyframes", "--budget", "1.5s", "--batch-wait", "20", "--threads", "2", "--hwaccel", "none",
                "--keypoints", "32", "--confidence", "0.4");

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
        PipelineOptions options = ParsedOptions.pipeline("--model", model.toString(), "--size", "1280x736",
                "--keypoint-model", pitch.toString(), "--keypoint-size", "640x384", "--keypoint-batch", "16",
                "--keypoint-stride", "2");

        ModelSpec keypoints = options.keypointSpec().orElseThrow();
        assertThat(keypoints.modelPath()).isEqualTo(pitch);
        assertThat(keypoints.inputWidth()).isEqualTo(640);
        assertThat(keypoints.inputHeight()).isEqualTo(384);
        assertThat(keypoints.batchSize()).isEqualTo(16);
        assertThat(options.keypointStride()).isEqualTo(2);
        assertThat(options.modelSpec().inputWidth()).isEqualTo(1280);
        assertThat(ParsedOptions.pipeline("--model", model.toString()).keypointSpec()).isEmpty();
        assertThatThrownBy(() -> from("--keypoint-model", pitch.toString()))
                .isInstanceOf(UsageException.class).hasMessage("--keypoint-model runs beside a --model");
        assertThatThrownBy(() -> from("--keypoint-size", "640")).hasMessageContaining("--keypoint-size");
    }

    @Test
    void durationsTakeMillisecondsSecondsMinutesAndIso() {
        Converters.DurationConverter duration = new Converters.DurationConverter();
        assertThat(duration.convert("1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(duration.convert("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(duration.convert("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(duration.convert("PT0.25S")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void sizesTakeBytesOrBinaryUnits() {
        Converters.BytesConverter bytes = new Converters.BytesConverter();
        assertThat(bytes.convert("1048576")).isEqualTo(1L << 20);
        assertThat(bytes.convert("512KiB")).isEqualTo(512L << 10);
        assertThat(bytes.convert("64 mib")).isEqualTo(64L << 20);
        assertThat(bytes.convert("1GiB")).isEqualTo(1L << 30);
        assertThatThrownBy(() -> bytes.convert("1.5GiB")).hasMessageContaining("not a size");
        assertThatThrownBy(() -> bytes.convert("0")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> bytes.convert("99999999999999GiB")).hasMessageContaining("out of range");
    }

    @Test
    void aBadValueNamesItsOptionAndWhy() {
        assertThatThrownBy(() -> from("--size", "640")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("'--size'").hasMessageContaining("expected WxH such as 640x640");
        assertThatThrownBy(() -> from("--size", "0x640")).hasMessageContaining("'--size'");
        assertThatThrownBy(() -> from("--stride", "0")).hasMessageContaining("'--stride'")
                .hasMessageContaining("must be at least 1");
        assertThatThrownBy(() -> from("--fps", "fast")).hasMessageContaining("'--fps'")
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> from("--budget", "2")).hasMessageContaining("'--budget'")
                .hasMessageContaining("give a unit");
        assertThatThrownBy(() -> from("--budget", "-1s")).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> from("--hwaccel", "vaapi")).hasMessageContaining("'--hwaccel'");
        assertThatThrownBy(() -> from("--device", "tpu")).hasMessageContaining("'--device'");
        assertThatThrownBy(() -> ParsedOptions.pipeline("--keyframes=maybe")).hasMessageContaining("--keyframes");
        assertThatThrownBy(() -> from("--model", dir.resolve("missing.pt").toString()))
                .hasMessageContaining("'--model'").hasMessageContaining("no such file");
        assertThatThrownBy(() -> from("--strid", "2")).hasMessageContaining("Unknown options: '--strid', '2'");
    }

    @Test
    void connectionsAreANumberOrAuto() {
        assertThat(from("--connections", "3").connections()).isEqualTo(3);
        assertThat(from("--connections", "auto").connections()).isEqualTo(PipelineOptions.AUTO_CONNECTIONS);
        assertThat(from("--connections", "AUTO").http(dev.reelflux.core.HttpSettings.create())
                .adaptiveConnections()).isTrue();
        assertThat(ParsedOptions.pipeline().connections()).isEqualTo(1);
        assertThat(from("--connections", "2").http(dev.reelflux.core.HttpSettings.create()).connections())
                .isEqualTo(2);
        assertThatThrownBy(() -> from("--connections", "0")).hasMessageContaining("--connections");
    }

    @Test
    void aModelSpecNeedsAModel() {
        assertThatThrownBy(() -> ParsedOptions.pipeline().modelSpec())
                .isInstanceOf(UsageException.class).hasMessage("no --model");
    }

    private static PipelineOptions from(String option, String value) {
        return ParsedOptions.pipeline(option, value);
    }
}
