package dev.reelflux.examples;

import org.bytedeco.javacpp.Pointer;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gives the native heap's free pages back to the system at an interval, as the JVM's own
 * {@code -XX:TrimNativeHeapInterval} does, for the commands: a jar cannot set that flag for the JVM it runs in. The
 * trim is JavaCPP's ({@code malloc_trim(0)} on Linux, nothing elsewhere); the JVM's diagnostic command does the same,
 * but reaching it starts JMX, which costs the process more memory than a trim gives back.
 *
 * <p>Why: FFmpeg's packets come from glibc's per-thread arenas, and glibc hands freed memory back only from an arena's
 * top, so a long clip's resident memory grows with the holes (without trims, 16-22 MiB more at the peak of a 10-minute
 * clip than of a 30-second one, a tenth of the process; with them, 5-11 MiB). Why not more often: a trim also hands
 * back libtorch's freed tensors, which fault back in; every 2 s made CPU inference 15% slower, every 15 s cost nothing
 * measurable. A JVM started with its own trim flag as well trims twice, which does no harm.
 */
final class NativeHeapTrim implements AutoCloseable {

    /** How often the commands trim. */
    static final Duration INTERVAL = Duration.ofSeconds(15);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "reelflux-native-heap-trim");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger trims = new AtomicInteger();

    private NativeHeapTrim(Duration interval) {
        long millis = interval.toMillis();
        timer.scheduleWithFixedDelay(this::trimOrStop, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Starts trimming every {@code interval} on a daemon thread, the first trim one interval from now. */
    static NativeHeapTrim start(Duration interval) {
        return new NativeHeapTrim(interval);
    }

    /** How many trims ran. */
    int trims() {
        return trims.get();
    }

    private void trimOrStop() {
        try {
            Pointer.trimMemory();
            trims.incrementAndGet();
        } catch (LinkageError e) {
            // JavaCPP without its native part for this platform cannot trim; asking again would not help.
            timer.shutdown();
        }
    }

    /** Stops trimming; a trim under way ends first. */
    @Override
    public void close() {
        timer.shutdown();
    }
}
