package dev.reelflux.examples;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.reelflux.core.ByteSource;
import dev.reelflux.core.FileSource;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.VideoDecoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench}'s real-footage section, on the 1080p x264 High clip of {@code ../shared/bench}: the whole clip from a
 * URL over one shaped connection and over several connections limited each, against the bundled ffmpeg reading the
 * same URL and against the slower of downloading alone and decoding alone; the first frame of a fresh {@code analyze}
 * process against a fresh ffmpeg process's; and the peak resident memory of {@code analyze} on a 10-minute clip (the
 * clip looped) against the 30-second one.
 */
final class RealClipBench {

    private static final Duration FIRST_BYTE = Duration.ofMillis(30);
    /** The long clip's length in loops of the 30-second clip. */
    private static final int LOOPS = 20;

    private RealClipBench() {
    }

    static void run(BenchMedia media, Path work, VideoDecoder decoder, BundledFfmpeg ffmpeg, long oneLink,
                    long perConnection, int runs) {
        Path clip = media.clip();
        byte[] bytes = read(clip);
        try (TestHttpServer cdn = TestHttpServer.start()) {
            URI uri = cdn.serve("/real.mp4", bytes);
            HttpSettings one = HttpSettings.create();
            HttpSettings adaptive = one.optAdaptiveConnections(PipelineOptions.AUTO_CONNECTIONS);
            one.warmup(uri).block();
            System.out.printf("real footage (%s, %d bytes):%n", clip.getFileName(), bytes.length);

            cdn.shape(oneLink, FIRST_BYTE);
            Rounds single = Rounds.run(runs,
                    () -> decodeMs(decoder, ByteSource.open(uri, one)),
                    () -> ffmpeg.millis("-i", uri.toString(), "-f", "null", "-"),
                    () -> BenchCommand.timeDownload(ByteSource.open(uri, one)),
                    () -> decodeMs(decoder, FileSource.of(clip)));
            System.out.printf(" over one connection of %.1f MB/s, %d ms to first byte:%n", oneLink / 1e6,
                    FIRST_BYTE.toMillis());
            Rounds.report("  decode all from the URL [ms]", single.of(0), "ffmpeg -i URL -f null", single.of(1));
            Rounds.report("  decode all from the URL [ms]", single.of(0), "slower of download and decode alone",
                    single.combined(2, 3, Math::max));
            List<Double> firstBytes = new ArrayList<>();
            Rounds fresh = Rounds.run(runs,
                    () -> {
                        JsonObject summary = analyze(uri.toString(), ffmpeg.threads()).summary();
                        firstBytes.add(summary.get("firstByteMs").getAsDouble());
                        return summary.get("firstFrameMs").getAsDouble();
                    },
                    () -> ffmpeg.millis("-i", uri.toString(), "-frames:v", "1", "-f", "null", "-"));
            Rounds.report("  fresh process, first frame [ms]", fresh.of(0), "ffmpeg process, first frame",
                    fresh.of(1));
            System.out.printf("  (fresh process: connect and first byte %.1f ms, the link's own first byte %d ms)%n",
                    Rounds.median(firstBytes.stream().mapToDouble(Double::doubleValue).toArray()),
                    FIRST_BYTE.toMillis());

            cdn.shape(perConnection, FIRST_BYTE);
            Rounds parallel = Rounds.run(runs,
                    () -> decodeMs(decoder, ByteSource.open(uri, adaptive)),
                    () -> BenchCommand.timeDownload(ByteSource.open(uri, adaptive)),
                    () -> decodeMs(decoder, FileSource.of(clip)));
            System.out.printf(" over connections of %.1f MB/s each (adaptive, up to %d):%n", perConnection / 1e6,
                    PipelineOptions.AUTO_CONNECTIONS);
            Rounds.report("  decode all from the URL [ms]", parallel.of(0), "slower of download and decode alone",
                    parallel.combined(1, 2, Math::max));
        }
        Path long10 = loop(clip, work, ffmpeg);
        // Three rounds at most: one of the long clip takes a minute, and a peak moves by a few MiB from run to run.
        Rounds memory = Rounds.run(Math.min(runs, 3), () -> analyzePeakMib(long10, ffmpeg.threads()),
                () -> analyzePeakMib(clip, ffmpeg.threads()));
        Rounds.report(" peak resident memory [MiB]", memory.of(0), "the 30-second clip", memory.of(1));
    }

    private static double decodeMs(VideoDecoder decoder, ByteSource source) {
        return BenchCommand.timeDecode(decoder, source, 0, new double[1]);
    }

    /** A fresh JVM's {@code analyze} of a file, decode only: its peak resident memory. */
    private static double analyzePeakMib(Path clip, int threads) {
        return analyze(clip.toString(), threads).peakKib() / 1024.0;
    }

    private record Child(JsonObject summary, long peakKib) {
    }

    /** Runs {@code analyze input} in a new JVM of this classpath, polling its peak resident memory meanwhile. */
    private static Child analyze(String input, int threads) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "analyze", input,
                "--threads", String.valueOf(threads), "--summary-json", "--no-progress"));
        try {
            Path out = Files.createTempFile("reelflux-analyze-", ".out");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(false)
                        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                long peak = 0;
                Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
                while (process.isAlive()) {
                    peak = Math.max(peak, peakKib(status));
                    Thread.sleep(20);
                }
                if (process.waitFor() != 0) {
                    throw new IllegalStateException("analyze " + input + " failed: " + Files.readString(out));
                }
                List<String> lines = Files.readAllLines(out);
                return new Child(JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject(), peak);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code VmHWM} (peak resident set) of a process, 0 once it is gone. */
    private static long peakKib(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // the process ended between the check and the read
        }
        return 0;
    }

    /** The clip played {@value #LOOPS} times in a row, as one file (ffmpeg's concat demuxer, no re-encoding). */
    private static Path loop(Path clip, Path work, BundledFfmpeg ffmpeg) {
        Path list = work.resolve("loop.txt");
        Path looped = work.resolve("looped.mp4");
        try {
            Files.writeString(list, ("file '" + clip.toAbsolutePath() + "'\n").repeat(LOOPS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ffmpeg.run("-y", "-f", "concat", "-safe", "0", "-i", list.toString(), "-c", "copy", "-movflags",
                "+faststart", looped.toString());
        return looped;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
