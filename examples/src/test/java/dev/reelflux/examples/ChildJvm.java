package dev.reelflux.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A child JVM on the tests' own class path: the Kafka broker, or a worker a test kills. */
final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Starts {@code mainClass} with {@code args} in {@code dir}, its output and errors appended to {@code log}, with
     * at most 512 MiB of heap, library logs below warnings off, and {@code options} for the JVM.
     */
    static Process start(Path dir, Path log, List<String> options, String mainClass, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        command.addAll(options);
        command.addAll(List.of("-cp", classPath(), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** The tests' class path: surefire's own when it runs them through a manifest-only jar. */
    private static String classPath() {
        String path = System.getProperty("surefire.test.class.path");
        return path != null ? path : System.getProperty("java.class.path");
    }
}
