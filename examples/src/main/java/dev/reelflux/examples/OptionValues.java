package dev.reelflux.examples;

import dev.reelflux.examples.CommandLine.UsageException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Option values by name, read as the types the commands need; a value that does not parse is a
 * {@link UsageException} naming the option.
 */
record OptionValues(Map<String, String> values) {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|B|KiB|MiB|GiB)", Pattern.CASE_INSENSITIVE);

    Optional<String> text(String name) {
        return Optional.ofNullable(values.get(name)).map(String::trim);
    }

    /** A flag: absent is false; {@code true/yes/1} or {@code false/no/0} as written in a config file. */
    boolean flag(String name) {
        return text(name).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new UsageException("--" + name + ": expected true or false, got '" + value + "'");
        }).orElse(false);
    }

    /** A whole number of at least {@code min}. */
    Optional<Integer> integer(String name, int min) {
        return text(name).map(value -> {
            try {
                int n = Integer.parseInt(value);
                if (n < min) {
                    throw new UsageException("--" + name + ": must be at least " + min + ", got " + value);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + ": not a whole number: '" + value + "'");
            }
        });
    }

    /** A positive size in bytes: {@code 1048576}, or with a unit, {@code 512KiB}, {@code 64MiB}, {@code 1GiB}. */
    Optional<Long> bytes(String name) {
        return text(name).map(value -> {
            Matcher size = SIZE.matcher(value);
            if (!size.matches()) {
                throw new UsageException("--" + name + ": not a size such as 1GiB or 1048576: '" + value + "'");
            }
            int shift = switch (size.group(2).toLowerCase(Locale.ROOT)) {
                case "kib" -> 10;
                case "mib" -> 20;
                case "gib" -> 30;
                default -> 0;
            };
            try {
                long bytes = Long.parseLong(size.group(1));
                if (bytes <= 0 || bytes > Long.MAX_VALUE >> shift) {
                    throw new UsageException("--" + name + ": out of range: '" + value + "'");
                }
                return bytes << shift;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + ": out of range: '" + value + "'");
            }
        });
    }

    /** A finite number above 0. */
    Optional<Double> positive(String name) {
        return text(name).map(value -> {
            try {
                double d = Double.parseDouble(value);
                if (!(d > 0) || Double.isInfinite(d)) {
                    throw new UsageException("--" + name + ": must be positive, got " + value);
                }
                return d;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + ": not a number: '" + value + "'");
            }
        });
    }

    /** A positive duration: {@code 1500ms}, {@code 2s}, {@code 1.5s}, {@code 1m} or ISO-8601 such as {@code PT2S}. */
    Optional<Duration> duration(String name) {
        return text(name).map(value -> {
            String v = value.toLowerCase(Locale.ROOT);
            try {
                Duration duration;
                if (v.startsWith("pt")) {
                    duration = Duration.parse(v);
                } else if (v.endsWith("ms")) {
                    duration = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                } else if (v.endsWith("s")) {
                    duration = Duration.ofNanos(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1e9));
                } else if (v.endsWith("m")) {
                    duration = Duration.ofNanos(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60e9));
                } else {
                    throw new UsageException("--" + name + ": give a unit, such as 1500ms or 2s: '" + value + "'");
                }
                if (duration.isNegative() || duration.isZero()) {
                    throw new UsageException("--" + name + ": must be positive, got '" + value + "'");
                }
                return duration;
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new UsageException("--" + name + ": not a duration: '" + value + "'");
            }
        });
    }
}
