package dev.reelflux.decoders;

import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.decoders.testing.TestVideo.Codec;
import dev.reelflux.decoders.testing.TestVideo.Container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Test clips written by {@link TestVideo}, cached under {@code target/test-clips} so each spec is encoded once per
 * build. Every frame carries its display index in a {@link dev.reelflux.decoders.testing.FrameStamp}; codecs that have
 * B-frames get two between references, so display and decode order differ.
 */
final class Clips {

    /** Where the encoded clips are kept between test classes. */
    private static final Path CACHE = Path.of("target", "test-clips");

    private Clips() {
    }

    /** A stamped 320x240 clip of {@code frames} frames at 25 fps with a keyframe every {@code gop} frames. */
    static Path clip(Codec codec, Container container, int frames, int gop) {
        return clip(codec, container, 320, 240, frames, gop);
    }

    /** A stamped clip at 25 fps at the writer's default bitrate for its size. */
    static Path clip(Codec codec, Container container, int width, int height, int frames, int gop) {
        return clip(spec(codec, container, width, height, frames, gop));
    }

    /** A stamped clip at 25 fps and {@code bitsPerSecond}. */
    static Path clip(Codec codec, Container container, int width, int height, int frames, int gop,
                     long bitsPerSecond) {
        return clip(spec(codec, container, width, height, frames, gop).optBitrate(bitsPerSecond));
    }

    private static TestVideo spec(Codec codec, Container container, int width, int height, int frames, int gop) {
        return TestVideo.create().optCodec(codec).optContainer(container).optSize(width, height)
                .optFrames(frames).optGop(gop).optBFrames(codec.supportsBFrames() ? 2 : 0);
    }

    static byte[] bytes(Path clip) {
        try {
            return Files.readAllBytes(clip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One second of 8 kHz mono PCM in a WAV file: a valid media file without a video stream. */
    static byte[] audioOnly() {
        int samples = 8000;
        ByteBuffer wav = ByteBuffer.allocate(44 + 2 * samples).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + 2 * samples).put("WAVE".getBytes());
        wav.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000)
                .putShort((short) 2).putShort((short) 16);
        wav.put("data".getBytes()).putInt(2 * samples);
        for (int i = 0; i < samples; i++) {
            wav.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0)));
        }
        return wav.array();
    }

    private static synchronized Path clip(TestVideo spec) {
        String name = spec.toString().replaceAll("[^A-Za-z0-9.@-]+", "_") + spec.container().extension();
        Path target = CACHE.resolve(name);
        if (Files.exists(target)) {
            return target;
        }
        try {
            Files.createDirectories(CACHE);
            Path partial = spec.writeTo(Files.createTempFile(CACHE, "clip-", ".partial"));
            return Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
