package dev.reelflux.inference.internal;

import java.nio.file.Path;

/** The system properties DJL reads when its engine first loads (see {@code ModelSpec} for the list). */
public final class DjlEnvironment {

    private DjlEnvironment() {
    }

    /**
     * Turns on offline mode, gives libtorch half the cores, and, when {@code cacheDirectory} is given, points DJL's
     * caches there; leaves alone any setting the environment or the application already made.
     */
    public static synchronized void prepare(Path cacheDirectory) {
        setIfAbsent("ai.djl.offline", "DJL_OFFLINE", "true");
        // The decoder runs on the same cores at the same time. An OpenMP team as wide as the machine then spins at
        // its barriers while the decoder holds a core: on 2 cores decode + CPU inference of one clip took 584 ms
        // with 2 torch threads, 447 ms with 1.
        setIfAbsent("ai.djl.pytorch.num_threads", "OMP_NUM_THREADS",
                String.valueOf(Math.max(1, Runtime.getRuntime().availableProcessors() / 2)));
        if (cacheDirectory != null) {
            String dir = cacheDirectory.toAbsolutePath().toString();
            setIfAbsent("DJL_CACHE_DIR", "DJL_CACHE_DIR", dir);
            setIfAbsent("ENGINE_CACHE_DIR", "ENGINE_CACHE_DIR", dir);
        }
    }

    private static void setIfAbsent(String property, String environmentVariable, String value) {
        if (System.getenv(environmentVariable) == null && System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
