package dev.reelflux.decoders;

import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.decoders.testing.TestVideo.Codec;
import dev.reelflux.decoders.testing.TestVideo.Container;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decode speed and time to first frame, against the bundled ffmpeg CLI on the same file. Not part of the suite (it
 * takes a minute and its numbers depend on the machine): {@code -Dreelflux.bench=true -Dtest=DecoderBenchmarkTest}.
 */
@EnabledIfSystemProperty(named = "reelflux.bench", matches = "true")
class DecoderBenchmarkTest {

    private static final int RUNS = 7;
    private static final int FRAMES = 250;

    @Test
    void decodeRate1080pTwoThreads() {
        Path clip = Clips.clip(Codec.H264, Container.MP4_FASTSTART, 1920, 1080, FRAMES, 50, 8_000_000);
        byte[] bytes = Clips.bytes(clip);
        VideoDecoder decoder = VideoDecoder.create().optThreads(2).optHwAccel(HwAccel.NONE);

        // Round-robin, so that load from elsewhere on the machine hits every contender alike.
        report(Map.of(
                "reelflux, decode only (no frame selected) [fps]", () -> fps(decoder.optFrameFilter(i -> false), bytes),
                "reelflux, frames copied as decoded [fps]", () -> fps(decoder, bytes),
                "reelflux, planar float 640x640 letterbox [fps]", () -> fps(decoder.optOutput(
                        FrameFormat.planarFloat(640, 640).optLetterbox(true)), bytes),
                "ffmpeg -threads 2 -f null -, process wall time [fps]", () -> cliFps(clip, false),
                "ffmpeg -threads 2 -f null -, its -benchmark rtime [fps]", () -> cliFps(clip, true)));
    }

    @Test
    void timeToFirstFrame() {
        byte[] mp4 = Clips.bytes(Clips.clip(Codec.H264, Container.MP4_FASTSTART, 1920, 1080, FRAMES, 50, 8_000_000));
        byte[] ts = Clips.bytes(Clips.clip(Codec.H264, Container.MPEGTS, 1920, 1080, FRAMES, 50, 8_000_000));
        VideoDecoder base = VideoDecoder.create().optThreads(2).optHwAccel(HwAccel.NONE);

        report(Map.of(
                "mp4, stream info skipped (default), frame threads [ms]", () -> firstFrameMillis(base, mp4),
                "mp4, avformat_find_stream_info run, frame threads [ms]",
                () -> firstFrameMillis(base.optSkipStreamInfo(false), mp4),
                "mp4, stream info skipped, slice threads [ms]",
                () -> firstFrameMillis(base.optThreadType(ThreadType.SLICE), mp4),
                "ts, defaults [ms]", () -> firstFrameMillis(base, ts),
                "ts, probesize 32k, analyzeduration 0 [ms]", () -> firstFrameMillis(base.optProbeSize(32 << 10)
                        .optAnalyzeDuration(Duration.ZERO), ts)));
    }

    private static double fps(VideoDecoder decoder, byte[] clip) {
        DecodeStats[] stats = new DecodeStats[1];
        long start = System.nanoTime();
        decoder.optListener(new DecodeListener() {
            @Override
            public void closed(DecodeStats s) {
                stats[0] = s;
            }
        }).decode(MemorySource.of(clip)).doOnNext(VideoFrame::close).blockLast(Frames.TIMEOUT);
        return stats[0].framesDecoded() / ((System.nanoTime() - start) / 1e9);
    }

    private static double firstFrameMillis(VideoDecoder decoder, byte[] clip) {
        long start = System.nanoTime();
        VideoFrame first = decoder.decode(MemorySource.of(clip)).blockFirst(Frames.TIMEOUT);
        double millis = (System.nanoTime() - start) / 1e6;
        first.close();
        Frames.awaitSessionsClosed();
        return millis;
    }

    /** Frames per second of the CLI: over the process's wall time, or over the decode loop alone ({@code rtime}). */
    private static double cliFps(Path clip, boolean loopOnly) {
        try {
            ProcessBuilder builder = new ProcessBuilder(ffmpeg(), "-hide_banner", "-nostats", "-benchmark",
                    "-threads", "2", "-i", clip.toString(), "-f", "null", "-").redirectErrorStream(true);
            builder.environment().put("LD_LIBRARY_PATH", Path.of(ffmpeg()).getParent().toString());
            long start = System.nanoTime();
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + output);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (loopOnly) {
                Matcher rtime = Pattern.compile("rtime=([0-9.]+)s").matcher(output);
                seconds = rtime.find() ? Double.parseDouble(rtime.group(1)) : Double.NaN;
            }
            return FRAMES / seconds;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The bundled ffmpeg executable (it needs {@code libpulse.so.0} on the machine, as its libavdevice links it). */
    private static String ffmpeg() {
        return Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    }

    private static void report(Map<String, Supplier<Double>> contenders) {
        Map<String, List<Double>> runs = new TreeMap<>();
        contenders.values().forEach(Supplier::get);
        for (int i = 0; i < RUNS; i++) {
            contenders.forEach((name, measure) -> runs.computeIfAbsent(name, n -> new ArrayList<>())
                    .add(measure.get()));
        }
        runs.forEach((name, values) -> {
            Collections.sort(values);
            System.out.printf("BENCH %-55s median %8.1f  (min %8.1f, max %8.1f)%n", name, values.get(RUNS / 2),
                    values.get(0), values.get(RUNS - 1));
        });
    }
}
