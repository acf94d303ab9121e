package dev.reelflux.examples;

import org.bytedeco.javacpp.Loader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ffmpeg executable of the FFmpeg native jar reelflux runs on (the same build), as {@code bench}'s baseline, at a
 * given decoder thread count. It needs {@code libpulse.so.0} ({@code apt-get install libpulse0}).
 */
record BundledFfmpeg(int threads) {

    /** Runs ffmpeg with {@code args} after its thread count; returns what it printed. */
    String run(String... args) {
        try {
            String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
            List<String> command = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostats", "-threads",
                    String.valueOf(threads)));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("LD_LIBRARY_PATH", Path.of(ffmpeg).getParent().toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + output);
            }
            return output;
        } catch (Exception e) {
            throw new IllegalStateException("cannot run the bundled ffmpeg: " + e.getMessage(), e);
        }
    }

    /** Milliseconds of a whole ffmpeg run with {@code args}, process start included. */
    double millis(String... args) {
        long start = System.nanoTime();
        run(args);
        return (System.nanoTime() - start) / 1e6;
    }

    /** ffmpeg's own measure of its decode of {@code input}: the {@code rtime} of {@code -benchmark}, in seconds. */
    double rtimeSeconds(String input) {
        String output = run("-benchmark", "-i", input, "-an", "-f", "null", "-");
        Matcher rtime = Pattern.compile("rtime=([0-9.]+)s").matcher(output);
        if (!rtime.find()) {
            throw new IllegalStateException("no rtime in ffmpeg's output: " + output);
        }
        return Double.parseDouble(rtime.group(1));
    }
}
