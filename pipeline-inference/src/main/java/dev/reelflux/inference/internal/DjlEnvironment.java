package dev.reelflux.inference.internal;

import java.nio.file.Path;

/** The system properties DJL reads when its engine first loads (see {@code ModelSpec} for the list). */
public final class DjlEnvironment {

    private DjlEnvironment() {
    }

    /**
     * Turns on offline mode and, when {@code cacheDirectory} is given, points DJL's caches there; leaves alone any
     * setting the environment or the application already made.
     */
    public static synchronized void prepare(Path cacheDirectory) {
        setIfAbsent("ai.djl.offline", "DJL_OFFLINE", "true");
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
