package dev.reelflux.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Entry point of {@code reelflux-examples.jar}: {@code java -jar reelflux-examples.jar [command] [options]}; no command
 * runs the demo. Exit status: 0 when the command did its job, 1 when it failed, 2 for a wrong command line.
 */
@Command(name = "reelflux-examples", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Video URL in, model results out: the reelflux examples. Without a command, runs the demo.",
        subcommands = CommandLine.HelpCommand.class)
public final class Main implements Callable<Integer> {

    private Main() {
    }

    public static void main(String[] args) {
        // Nothing reelflux runs may download anything: DJL looks for engines and models offline only.
        System.setProperty("ai.djl.offline", "true");
        // The commands print their own findings; library logs below warnings would bury them.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // Long clips and long-lived services would otherwise keep glibc's holes resident (NativeHeapTrim).
        NativeHeapTrim.start(NativeHeapTrim.INTERVAL);
        CommandLine root = commandLine(new Main(), System.out, System.err, System.getenv(), args,
                new DemoCommand(), new AnalyzeCommand(), new ServeCommand(), new WorkerCommand(), new BenchCommand());
        System.exit(root.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return new DemoCommand().call();
    }

    /**
     * A picocli command line for {@code command} and its {@code subcommands}, as every command runs: output to
     * {@code out} and {@code err}, option defaults from {@code environment} and the {@code --config} file of
     * {@code args} ({@link ConfigDefaults}), enum values in any case, and a {@link UsageException} from the command
     * answered as a wrong command line (its message and the usage, exit status 2). picocli applies these settings to
     * the subcommands present when they are made, so the subcommands come in here.
     *
     * @throws UsageException when the {@code --config} file cannot be read
     */
    static CommandLine commandLine(Object command, PrintStream out, PrintStream err, Map<String, String> environment,
                                   String[] args, Object... subcommands) {
        CommandLine line = new CommandLine(command);
        for (Object subcommand : subcommands) {
            line.addSubcommand(subcommand);
        }
        line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setDefaultValueProvider(ConfigDefaults.of(environment, args));
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            if (!(e instanceof UsageException)) {
                throw e;
            }
            failed.getErr().println(failed.getCommandName() + ": " + e.getMessage());
            failed.usage(failed.getErr());
            return CommandLine.ExitCode.USAGE;
        });
        return line;
    }

    /** The version in the jar's manifest (the Maven project's), or "development" when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"reelflux-examples " + (version == null ? "development" : version)};
        }
    }
}
