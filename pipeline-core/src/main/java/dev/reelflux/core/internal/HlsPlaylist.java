package dev.reelflux.core.internal;

import dev.reelflux.core.HlsSource.Variant;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HLS playlist (RFC 8216) as far as reading a video needs it: a master playlist's variants, or a media playlist's
 * segments with their byte ranges, keys, init sections and discontinuities. URIs are resolved against the playlist's
 * own. Unknown tags are skipped, as the RFC asks of clients.
 */
public sealed interface HlsPlaylist {

    /** A master playlist: the variants, in the order listed. */
    record Master(List<Variant> variants) implements HlsPlaylist {
    }

    /**
     * How a segment is encrypted.
     *
     * @param method {@code AES-128}, {@code SAMPLE-AES}, ... ({@code NONE} is no key at all)
     * @param uri    where the key is
     * @param iv     the 16-byte IV, or null: the segment's media sequence number
     */
    record Key(String method, URI uri, byte[] iv) {
    }

    /**
     * A byte range of a resource.
     *
     * @param offset first byte
     * @param length bytes, or -1 for the whole resource
     */
    record Range(long offset, long length) {
        static final Range WHOLE = new Range(0, -1);
    }

    /**
     * One segment.
     *
     * @param sequence      its media sequence number
     * @param discontinuity whether timestamps may restart at it
     * @param key           its encryption, or null
     * @param map           its init section (fragmented MP4), or null
     */
    record Segment(URI uri, Range range, double duration, long sequence, boolean discontinuity, Key key,
                   Segment map) {
    }

    /** A media playlist. */
    record Media(double targetDuration, long mediaSequence, List<Segment> segments, boolean ended)
            implements HlsPlaylist {
    }

    /** Whether {@code text} starts as a playlist does (after a byte-order mark and blank lines). */
    static boolean isPlaylist(String text) {
        return withoutByteOrderMark(text).stripLeading().startsWith("#EXTM3U");
    }

    /**
     * Parses {@code text}, fetched from {@code base}.
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    static HlsPlaylist parse(String text, URI base) {
        if (!isPlaylist(text)) {
            throw new IllegalArgumentException("not an HLS playlist: it does not start with #EXTM3U");
        }
        String body = withoutByteOrderMark(text);
        return body.contains("#EXT-X-STREAM-INF") ? Parser.master(body, base) : Parser.media(body, base);
    }

    private static String withoutByteOrderMark(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The line-by-line reading behind {@link #parse}. */
    final class Parser {

        private static final Pattern ATTRIBUTE = Pattern.compile("([A-Z0-9-]+)=(\"[^\"]*\"|[^,]*)");

        private Parser() {
        }

        static Master master(String text, URI base) {
            List<Variant> variants = new ArrayList<>();
            Map<String, String> pending = null;
            for (String line : text.split("\\R")) {
                line = line.strip();
                if (line.startsWith("#EXT-X-STREAM-INF:")) {
                    pending = attributes(line.substring(line.indexOf(':') + 1));
                } else if (!line.isEmpty() && !line.startsWith("#") && pending != null) {
                    String resolution = pending.getOrDefault("RESOLUTION", "0x0").toLowerCase(Locale.ROOT);
                    String[] wh = resolution.split("x");
                    variants.add(new Variant(base.resolve(line), number(pending.get("BANDWIDTH"), "BANDWIDTH"),
                            wh.length == 2 ? (int) number(wh[0], "RESOLUTION") : 0,
                            wh.length == 2 ? (int) number(wh[1], "RESOLUTION") : 0));
                    pending = null;
                }
            }
            if (variants.isEmpty()) {
                throw new IllegalArgumentException("a master playlist without a variant");
            }
            return new Master(List.copyOf(variants));
        }

        static Media media(String text, URI base) {
            double target = -1;
            long sequence = 0;
            boolean sequenceSet = false;
            boolean ended = false;
            List<Segment> segments = new ArrayList<>();
            double duration = -1;
            Range range = null;
            boolean discontinuity = false;
            Key key = null;
            Segment map = null;
            // Where a BYTERANGE without an offset starts: after the previous range of the same resource.
            Map<URI, Long> nextOffset = new HashMap<>();
            for (String raw : text.split("\\R")) {
                String line = raw.strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                    target = decimal(value(line), "EXT-X-TARGETDURATION");
                } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                    if (!segments.isEmpty()) {
                        throw new IllegalArgumentException("EXT-X-MEDIA-SEQUENCE after the first segment");
                    }
                    sequence = number(value(line), "EXT-X-MEDIA-SEQUENCE");
                    sequenceSet = true;
                } else if (line.startsWith("#EXTINF:")) {
                    duration = decimal(value(line).split(",", 2)[0], "EXTINF");
                } else if (line.startsWith("#EXT-X-BYTERANGE:")) {
                    range = parseRange(value(line), null);
                } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                    discontinuity = true;
                } else if (line.equals("#EXT-X-ENDLIST")) {
                    ended = true;
                } else if (line.startsWith("#EXT-X-KEY:")) {
                    key = key(attributes(value(line)), base);
                } else if (line.startsWith("#EXT-X-MAP:")) {
                    Map<String, String> map0 = attributes(value(line));
                    String uri = map0.get("URI");
                    if (uri == null) {
                        throw new IllegalArgumentException("EXT-X-MAP without a URI");
                    }
                    Range mapRange = map0.containsKey("BYTERANGE") ? parseRange(map0.get("BYTERANGE"), 0L)
                            : Range.WHOLE;
                    map = new Segment(base.resolve(uri), mapRange, 0, -1, false, key, null);
                } else if (!line.startsWith("#")) {
                    if (duration < 0) {
                        throw new IllegalArgumentException("segment " + line + " without #EXTINF");
                    }
                    URI uri = base.resolve(line);
                    Range segmentRange = Range.WHOLE;
                    if (range != null) {
                        long offset = range.offset() >= 0 ? range.offset() : nextOffset.getOrDefault(uri, 0L);
                        segmentRange = new Range(offset, range.length());
                        nextOffset.put(uri, offset + range.length());
                    }
                    segments.add(new Segment(uri, segmentRange, duration, sequence + segments.size(), discontinuity,
                            key, map));
                    duration = -1;
                    range = null;
                    discontinuity = false;
                }
            }
            if (target < 0) {
                throw new IllegalArgumentException("a media playlist without #EXT-X-TARGETDURATION");
            }
            return new Media(target, sequenceSet ? sequence : 0, List.copyOf(segments), ended);
        }

        private static Key key(Map<String, String> attributes, URI base) {
            String method = attributes.getOrDefault("METHOD", "");
            if (method.equals("NONE")) {
                return null;
            }
            String uri = attributes.get("URI");
            if (uri == null) {
                throw new IllegalArgumentException("EXT-X-KEY " + method + " without a URI");
            }
            String iv = attributes.get("IV");
            byte[] bytes = null;
            if (iv != null) {
                String hex = iv.startsWith("0x") || iv.startsWith("0X") ? iv.substring(2) : iv;
                try {
                    bytes = HexFormat.of().parseHex(hex);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("EXT-X-KEY IV is not hexadecimal: " + iv, e);
                }
                if (bytes.length != 16) {
                    throw new IllegalArgumentException("EXT-X-KEY IV is not 128 bits: " + iv);
                }
            }
            return new Key(method, base.resolve(uri), bytes);
        }

        /** {@code n[@o]}; without {@code @o}, offset {@code defaultOffset} (null: after the previous range). */
        private static Range parseRange(String text, Long defaultOffset) {
            String[] parts = text.split("@", 2);
            long length = number(parts[0], "BYTERANGE");
            long offset = parts.length == 2 ? number(parts[1], "BYTERANGE")
                    : defaultOffset == null ? -1 : defaultOffset;
            return new Range(offset, length);
        }

        static Map<String, String> attributes(String list) {
            Map<String, String> attributes = new HashMap<>();
            Matcher matcher = ATTRIBUTE.matcher(list);
            while (matcher.find()) {
                String value = matcher.group(2);
                attributes.put(matcher.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1)
                        : value);
            }
            return attributes;
        }

        private static String value(String line) {
            return line.substring(line.indexOf(':') + 1).strip();
        }

        private static long number(String text, String tag) {
            try {
                long n = Long.parseLong(text == null ? "" : text.strip());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(tag + ": not a whole number: '" + text + "'", e);
            }
        }

        private static double decimal(String text, String tag) {
            try {
                double d = Double.parseDouble(text.strip());
                if (!(d >= 0) || Double.isInfinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(tag + ": not a duration: '" + text + "'", e);
            }
        }
    }
}
