package dev.reelflux.examples;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.util.Map;

/**
 * Pins glibc malloc's mmap threshold at its default, 128 KiB, as {@code MALLOC_MMAP_THRESHOLD_=131072} would, for the
 * commands' processes.
 *
 * <p>Why: glibc raises the threshold to the size of each large block freed, up to 32 MiB. Once FFmpeg frees its first
 * large packet (a key frame of a few hundred KB), every packet up to that size comes from malloc's per-thread arenas,
 * which fragment and keep what they grew. Measured on the shared 1080p clip, decode only: the native heap of a
 * 10-minute clip ended 15 MiB above a 30-second clip's, and the 30-second clip's 24 MiB above what it is with the
 * threshold pinned. Pinned, a packet past 128 KiB is mapped and unmapped on its own (a key frame per second or two), and
 * the native heap stays flat however long the clip.
 *
 * <p>This is a process-wide setting, so the application makes it, not the library; the README tells library users how
 * to make it for their own process. A threshold or tunables set in the environment are the user's and are left alone.
 * Loading JNA takes about 100 ms, so {@link #pinInBackground} does it off the command's path: pinned a little late, the
 * threshold still stops rising from then on.
 */
final class MallocTuning {

    /** {@code M_MMAP_THRESHOLD} of glibc's {@code malloc.h}. */
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int DEFAULT_THRESHOLD = 128 * 1024;

    private MallocTuning() {
    }

    /** Pins the threshold on a daemon thread of its own, so that the command does not wait for JNA to load. */
    static void pinInBackground(Map<String, String> environment) {
        Thread thread = new Thread(() -> pinMmapThreshold(environment), "reelflux-malloc-tuning");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the threshold was pinned: false off glibc, or where the environment already tunes malloc. */
    static boolean pinMmapThreshold(Map<String, String> environment) {
        if (!Platform.isLinux() || environment.containsKey("MALLOC_MMAP_THRESHOLD_")
                || environment.containsKey("GLIBC_TUNABLES")) {
            return false;
        }
        try {
            return Native.load("c", LibC.class).mallopt(M_MMAP_THRESHOLD, DEFAULT_THRESHOLD) == 1;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // musl and other C libraries without mallopt: their malloc has no such threshold to pin.
            return false;
        }
    }

    /** The one call of the C library used here. */
    public interface LibC extends Library {
        int mallopt(int param, int value);
    }
}
