package dev.reelflux.decoders;

import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Test clips made with the {@code ffmpeg} executable of the FFmpeg native jar, cached under {@code target/test-clips}.
 * Each frame carries its display index in the top-left corner ({@link Stamps}).
 *
 * <p>Stand-in for the synthetic test-video writer being written in the {@code testing} package; kept to one small
 * file so the swap is easy.
 */
final class Clips {

    /** Codecs, with encoder options chosen for speed on small clips. */
    enum Codec {
        H264("-c:v", "libopenh264"),
        MPEG4_BFRAMES("-c:v", "mpeg4", "-bf", "2"),
        VP9("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-auto-alt-ref", "0"),
        AV1("-c:v", "libaom-av1", "-usage", "realtime", "-cpu-used", "8");

        final List<String> args;

        Codec(String... args) {
            this.args = List.of(args);
        }
    }

    /** Containers and layouts. */
    enum Container {
        MP4_FASTSTART("mp4", "-f", "mp4", "-movflags", "+faststart"),
        MP4_MOOV_AT_END("mp4", "-f", "mp4"),
        MP4_FRAGMENTED("mp4", "-f", "mp4", "-movflags", "+frag_keyframe+empty_moov+default_base_moof"),
        MKV("mkv", "-f", "matroska"),
        WEBM("webm", "-f", "webm"),
        MPEGTS("ts", "-f", "mpegts");

        final String extension;
        final List<String> args;

        Container(String extension, String... args) {
            this.extension = extension;
            this.args = List.of(args);
        }
    }

    /** Where the encoded clips are kept between runs. */
    private static final Path CACHE = Path.of("target", "test-clips");

    private Clips() {
    }

    /** A stamped 320x240 clip of {@code frames} frames at 25 fps with a keyframe every {@code gop} frames. */
    static Path clip(Codec codec, Container container, int frames, int gop) {
        return clip(codec, container, 320, 240, frames, gop);
    }

    static Path clip(Codec codec, Container container, int width, int height, int frames, int gop) {
        return clip(codec, container, width, height, frames, gop, "600k");
    }

    /** A stamped clip at 25 fps; {@code bitrate} as ffmpeg takes it ({@code 600k}, {@code 8M}). */
    static Path clip(Codec codec, Container container, int width, int height, int frames, int gop, String bitrate) {
        String name = codec + "-" + container + "-" + width + "x" + height + "-" + frames + "f-g" + gop + "-"
                + bitrate + "." + container.extension;
        List<String> command = new ArrayList<>(List.of("-f", "lavfi", "-i",
                "testsrc2=size=" + width + "x" + height + ":rate=25", "-frames:v", String.valueOf(frames),
                "-vf", Stamps.FILTER, "-pix_fmt", "yuv420p", "-g", String.valueOf(gop), "-b:v", bitrate));
        command.addAll(codec.args);
        command.addAll(container.args);
        return cached(name, command);
    }

    /** A clip without a video stream. */
    static Path audioOnly() {
        return cached("audio-only.mkv", List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=1",
                "-c:a", "pcm_s16le", "-f", "matroska"));
    }

    static byte[] bytes(Path clip) {
        try {
            return Files.readAllBytes(clip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bundled ffmpeg executable. */
    static String ffmpeg() {
        return Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    }

    private static synchronized Path cached(String name, List<String> arguments) {
        Path target = CACHE.resolve(name);
        if (Files.exists(target)) {
            return target;
        }
        try {
            Files.createDirectories(CACHE);
            Path partial = Files.createTempFile(CACHE, name, ".partial");
            List<String> command = new ArrayList<>(List.of(ffmpeg(), "-hide_banner", "-loglevel", "error", "-y"));
            command.addAll(arguments);
            command.add(partial.toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            // The executable needs the libraries unpacked next to it (libva, ...).
            builder.environment().put("LD_LIBRARY_PATH", Path.of(command.get(0)).getParent().toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                Files.delete(partial);
                throw new IllegalStateException("ffmpeg failed for " + name + ": " + output);
            }
            return Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
