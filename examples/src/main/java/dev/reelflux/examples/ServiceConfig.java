package dev.reelflux.examples;

import dev.reelflux.examples.CommandLine.UsageException;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Where {@code serve} gets its knobs, each by its option name: the command line wins over the environment
 * ({@code REELFLUX_} and the name in capitals, dashes as underscores: {@code REELFLUX_MAX_CONCURRENT}), which wins
 * over the {@code --config} file (Java properties, {@code name=value}), which wins over the defaults.
 */
final class ServiceConfig {

    private ServiceConfig() {
    }

    /** The knobs named in {@code known} from the three places, command line first. */
    static Map<String, String> resolve(Map<String, String> commandLine, Map<String, String> environment,
                                       Set<String> known) {
        Map<String, String> values = new HashMap<>();
        String config = commandLine.get("config");
        if (config != null) {
            values.putAll(file(Path.of(config), known));
        }
        for (String name : known) {
            String value = environment.get(environmentName(name));
            if (value != null) {
                values.put(name, value);
            }
        }
        values.putAll(commandLine);
        values.remove("config");
        return values;
    }

    static String environmentName(String option) {
        return "REELFLUX_" + option.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static Map<String, String> file(Path path, Set<String> known) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UsageException("--config: cannot read " + path + ": " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (!known.contains(name) || name.equals("config")) {
                throw new UsageException("--config " + path + ": unknown key '" + name + "'");
            }
            values.put(name, properties.getProperty(name).trim());
        }
        return values;
    }
}
