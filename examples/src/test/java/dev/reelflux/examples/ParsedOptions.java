package dev.reelflux.examples;

import picocli.CommandLine;

/** The pipeline options of a command line, parsed as the commands parse them, for tests. */
final class ParsedOptions {

    private ParsedOptions() {
    }

    /**
     * {@code args} as {@link PipelineOptions}, checked.
     *
     * @throws CommandLine.ParameterException for a value that does not parse
     * @throws UsageException for options that do not go together
     */
    static PipelineOptions pipeline(String... args) {
        PipelineOptions options = new PipelineOptions();
        new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        options.check();
        return options;
    }
}
