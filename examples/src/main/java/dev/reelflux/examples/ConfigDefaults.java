package dev.reelflux.examples;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where an option not on the command line gets its value: the environment ({@code REELFLUX_} and the option's name in
 * capitals, dashes as underscores: {@code REELFLUX_MAX_CONCURRENT}), then the {@code --config} file (Java properties,
 * {@code max-concurrent=8}), then the option's own default. picocli asks this for every option of the command run.
 */
final class ConfigDefaults implements IDefaultValueProvider {

    private static final String CONFIG = "--config";

    private final Map<String, String> environment;
    private final Path file;
    private final Properties properties;

    private ConfigDefaults(Map<String, String> environment, Path file, Properties properties) {
        this.environment = environment;
        this.file = file;
        this.properties = properties;
    }

    /**
     * Defaults from {@code environment} and the file that {@code args} name with {@code --config}, if any.
     *
     * @throws UsageException when that file cannot be read
     */
    static ConfigDefaults of(Map<String, String> environment, String[] args) {
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(CONFIG) && i + 1 < args.length) {
                file = Path.of(args[i + 1]);
            } else if (args[i].startsWith(CONFIG + "=")) {
                file = Path.of(args[i].substring(CONFIG.length() + 1));
            }
        }
        Properties properties = new Properties();
        if (file != null) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UsageException("--config: cannot read " + file + ": " + e.getMessage());
            }
        }
        return new ConfigDefaults(environment, file, properties);
    }

    static String environmentName(String option) {
        return "REELFLUX_" + option.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.longestName().equals(CONFIG)) {
            return null;
        }
        String name = option.longestName().substring(2);
        String value = environment.get(environmentName(name));
        if (value == null) {
            value = properties.getProperty(name);
        }
        return value == null ? null : value.trim();
    }

    /**
     * Checks that every key of the config file is an option of {@code command}: a misspelt key would otherwise be
     * ignored without a word.
     *
     * @throws UsageException naming the first unknown key
     */
    void checkKeys(CommandSpec command) {
        for (String key : properties.stringPropertyNames()) {
            if (key.equals("config") || command.findOption("--" + key) == null) {
                throw new UsageException("--config " + file + ": unknown key '" + key + "'");
            }
        }
    }
}
