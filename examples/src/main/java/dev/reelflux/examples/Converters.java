package dev.reelflux.examples;

import dev.reelflux.inference.ModelSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The option types of the commands beyond picocli's own, each refusing a bad value with the reason. */
final class Converters {

    private Converters() {
    }

    /** A picture size in pixels, written {@code WxH}. */
    record Size(int width, int height) {
    }

    /** {@code 640x640}. */
    static final class SizeConverter implements ITypeConverter<Size> {
        @Override
        public Size convert(String value) {
            String[] parts = value.toLowerCase(Locale.ROOT).split("x");
            try {
                if (parts.length == 2) {
                    Size size = new Size(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
                    if (size.width() > 0 && size.height() > 0) {
                        return size;
                    }
                }
            } catch (NumberFormatException e) {
                // reported below, as any other malformed size
            }
            throw new TypeConversionException("expected WxH such as 640x640, got '" + value + "'");
        }
    }

    /** A positive duration: {@code 1500ms}, {@code 2s}, {@code 1.5s}, {@code 1m} or ISO-8601 such as {@code PT2S}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            Duration duration;
            try {
                if (v.startsWith("pt")) {
                    duration = Duration.parse(v);
                } else if (v.endsWith("ms")) {
                    duration = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                } else if (v.endsWith("s")) {
                    duration = Duration.ofNanos(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1e9));
                } else if (v.endsWith("m")) {
                    duration = Duration.ofNanos(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60e9));
                } else {
                    throw new TypeConversionException("give a unit, such as 1500ms or 2s: '" + value + "'");
                }
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new TypeConversionException("not a duration: '" + value + "'");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new TypeConversionException("must be positive, got '" + value + "'");
            }
            return duration;
        }
    }

    /** A positive size in bytes: {@code 1048576}, or with a unit, {@code 512KiB}, {@code 64MiB}, {@code 1GiB}. */
    static final class BytesConverter implements ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|B|KiB|MiB|GiB)", Pattern.CASE_INSENSITIVE);

        @Override
        public Long convert(String value) {
            Matcher size = SIZE.matcher(value.trim());
            if (!size.matches()) {
                throw new TypeConversionException("not a size such as 1GiB or 1048576: '" + value + "'");
            }
            int shift = switch (size.group(2).toLowerCase(Locale.ROOT)) {
                case "kib" -> 10;
                case "mib" -> 20;
                case "gib" -> 30;
                default -> 0;
            };
            try {
                long bytes = Long.parseLong(size.group(1));
                if (bytes > 0 && bytes <= Long.MAX_VALUE >> shift) {
                    return bytes << shift;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("out of range: '" + value + "'");
        }
    }

    /** A whole number of at least 1. */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 1);
        }
    }

    /** A whole number of at least 0. */
    static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 0);
        }
    }

    private static int atLeast(String value, int min) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("not a whole number: '" + value + "'");
        }
        if (n < min) {
            throw new TypeConversionException("must be at least " + min + ", got " + value);
        }
        return n;
    }

    /** A finite number above 0. */
    static final class PositiveDouble implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double d;
            try {
                d = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("not a number: '" + value + "'");
            }
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new TypeConversionException("must be positive, got " + value);
            }
            return d;
        }
    }

    /** A file that exists. */
    static final class ExistingFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path path = Path.of(value);
            if (!Files.isRegularFile(path)) {
                throw new TypeConversionException("no such file " + path);
            }
            return path;
        }
    }

    /** {@code cpu} or {@code gpu} ({@code cuda}, {@code cuda:N} too), as a {@link ModelSpec#optDevice} name. */
    static final class DeviceConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            String name = v.equals("gpu") ? "cuda" : v;
            try {
                ModelSpec.create().optDevice(name);
                return name;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected cpu or gpu, got '" + value + "'");
            }
        }
    }

    /** Connections: a number of at least 1, or {@code auto} (0 here: adaptive). */
    static final class ConnectionsConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return value.trim().equalsIgnoreCase("auto") ? 0 : atLeast(value, 1);
        }
    }
}
