package dev.reelflux.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's arguments: positional ones, and {@code --name value} options and {@code --flag}s keyed by name without
 * the dashes (a flag maps to {@code "true"}). Options may also be written {@code --name=value}.
 *
 * @param positional the arguments that are not options, in order
 * @param options    option name to value, in the order given (a repeated option keeps its last value)
 */
record CommandLine(List<String> positional, Map<String, String> options) {

    CommandLine {
        positional = List.copyOf(positional);
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /**
     * Parses {@code args} against the command's {@code flags} and {@code valued} options.
     *
     * @throws UsageException for an unknown option or an option missing its value
     */
    static CommandLine parse(String[] args, Set<String> flags, Set<String> valued) {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                positional.add(arg);
                continue;
            }
            int equals = arg.indexOf('=');
            String name = arg.substring(2, equals < 0 ? arg.length() : equals);
            if (flags.contains(name)) {
                if (equals >= 0) {
                    throw new UsageException("--" + name + " takes no value");
                }
                options.put(name, "true");
            } else if (valued.contains(name)) {
                if (equals >= 0) {
                    options.put(name, arg.substring(equals + 1));
                } else if (i + 1 < args.length) {
                    options.put(name, args[++i]);
                } else {
                    throw new UsageException("--" + name + " needs a value");
                }
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return new CommandLine(positional, options);
    }

    /** The names in all of {@code sets}. */
    @SafeVarargs
    static Set<String> union(Set<String>... sets) {
        Set<String> all = new java.util.HashSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return Set.copyOf(all);
    }

    /** A command line the user got wrong: the message says how, and the command exits with status 2. */
    static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }
}
