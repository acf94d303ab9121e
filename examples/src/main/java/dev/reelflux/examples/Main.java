package dev.reelflux.examples;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Entry point of {@code reelflux-examples.jar}: {@code java -jar reelflux-examples.jar [command] [options]}. */
public final class Main {

    /** A runnable command of the examples jar. */
    interface Command {
        /** Runs with the arguments after the command name; returns the process exit code. */
        int run(String[] args) throws Exception;

        String summary();
    }

    private static final Map<String, Command> COMMANDS = new TreeMap<>(Map.of(
            "demo", new DemoCommand(),
            "analyze", new AnalyzeCommand(),
            "serve", new ServeCommand(),
            "bench", new BenchCommand()));

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // Nothing reelflux runs may download anything: DJL looks for engines and models offline only.
        System.setProperty("ai.djl.offline", "true");
        // The commands print their own findings; library logs below warnings would bury them.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        String name = args.length == 0 ? "demo" : args[0];
        Command command = COMMANDS.get(name);
        if (command == null) {
            System.err.println("unknown command '" + name + "'");
            usage();
            System.exit(2);
            return;
        }
        System.exit(command.run(Arrays.copyOfRange(args, Math.min(1, args.length), args.length)));
    }

    private static void usage() {
        System.err.println("usage: java -jar reelflux-examples.jar [command] [options]");
        COMMANDS.forEach((name, command) -> System.err.printf("  %-8s %s%n", name, command.summary()));
    }
}
