package dev.reelflux.examples;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * A command that starts something long-running ({@code serve}, {@code worker}) from options that may also come from
 * the environment and a {@code --config} file ({@link ConfigDefaults}), and that tests start in-process.
 *
 * @param <R> what {@link #start()} returns: the running thing, to stop by closing it
 */
abstract class ConfiguredCommand<R extends AutoCloseable> {

    /** Read before parsing, by {@link ConfigDefaults}; declared so that the command takes and lists it. */
    @Option(names = "--config", paramLabel = "file.properties", description = "defaults for every option, name=value")
    private Path config;
    @Spec
    private CommandSpec spec;

    private final Map<String, String> environment;
    final PrintStream err;

    ConfiguredCommand(Map<String, String> environment, PrintStream err) {
        this.environment = environment;
        this.err = err;
    }

    /**
     * Parses {@code args} (defaults from this command's environment and {@code --config}), then {@link #start()}.
     *
     * @throws picocli.CommandLine.ParameterException for a value that does not parse
     */
    final R start(String... args) {
        CommandLine line = Main.commandLine(this, System.out, err, environment, args);
        line.parseArgs(args);
        return start();
    }

    /**
     * Checks the configuration, then {@link #launch()}es.
     *
     * @throws UsageException for a wrong command line or configuration, a config file's key that names no option
     *                        among them
     */
    final R start() {
        // The defaults parsing took, --config's file among them: its keys must name options.
        if (spec.defaultValueProvider() instanceof ConfigDefaults defaults) {
            defaults.checkKeys(spec);
        }
        return launch();
    }

    /** Starts what the parsed options say. */
    abstract R launch();
}
