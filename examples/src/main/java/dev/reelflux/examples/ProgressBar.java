package dev.reelflux.examples;

import dev.reelflux.decoders.DecodeListener;
import dev.reelflux.decoders.StreamInfo;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress bar on a terminal stream, drawn only for inputs that take more than a second (a short run would
 * just flicker). As a {@link DecodeListener} it learns the frame count from the container and follows the index of
 * the frames emitted.
 */
final class ProgressBar implements DecodeListener, AutoCloseable {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final AtomicLong total = new AtomicLong(-1);
    private final AtomicLong done = new AtomicLong();
    private final ScheduledExecutorService ticker;
    private volatile boolean drawn;

    private ProgressBar(PrintStream out) {
        this.out = out;
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "reelflux-progress");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts redrawing on {@code out} every 200 ms from one second on. */
    static ProgressBar start(PrintStream out) {
        ProgressBar bar = new ProgressBar(out);
        bar.ticker.scheduleAtFixedRate(bar::draw, 1000, 200, TimeUnit.MILLISECONDS);
        return bar;
    }

    /** A new clip (the warm-up's came first): its count starts again. */
    @Override
    public void opened(StreamInfo stream, long openNanos) {
        done.set(0);
        total.set(stream.frameCount());
    }

    /** Progress is how far into the clip the last frame lies, so a selection (stride, key frames) fills it too. */
    @Override
    public void frameEmitted(long index) {
        done.accumulateAndGet(index + 1, Math::max);
    }

    /** Stops and clears the line. */
    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (drawn) {
            out.print("\r" + " ".repeat(WIDTH + 40) + "\r");
            out.flush();
        }
    }

    private void draw() {
        long frames = done.get();
        long of = total.get();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        String line;
        if (of > 0) {
            int filled = (int) Math.min(WIDTH, frames * WIDTH / of);
            line = String.format("\r[%s%s] %d/%d frames, %.1f s", "=".repeat(filled), " ".repeat(WIDTH - filled),
                    frames, of, seconds);
        } else {
            line = String.format("\r%d frames, %.1f s", frames, seconds);
        }
        out.print(line);
        out.flush();
        drawn = true;
    }
}
