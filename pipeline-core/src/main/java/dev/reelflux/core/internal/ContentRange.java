package dev.reelflux.core.internal;

/**
 * A parsed {@code Content-Range: bytes first-last/total} header ({@code total} is -1 for {@code *}).
 */
public record ContentRange(long first, long last, long total) {

    /** Parses {@code header}, or returns {@code null} if it is missing or malformed. */
    public static ContentRange parse(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes ", 0, 6)) {
            return null;
        }
        int dash = h.indexOf('-', 6);
        int slash = h.indexOf('/', 6);
        if (dash < 0 || slash < dash) {
            return null;
        }
        try {
            long first = Long.parseLong(h.substring(6, dash).trim());
            long last = Long.parseLong(h.substring(dash + 1, slash).trim());
            String t = h.substring(slash + 1).trim();
            long total = t.equals("*") ? -1 : Long.parseLong(t);
            if (first < 0 || last < first || (total >= 0 && last >= total)) {
                return null;
            }
            return new ContentRange(first, last, total);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public long length() {
        return last - first + 1;
    }

    /** A 416 answer's {@code Content-Range: bytes *}{@code /total}. */
    public record Unsatisfied(long total) {
    }

    /** Parses a 416 answer's {@code bytes *}{@code /total}, or returns {@code null}. */
    public static Unsatisfied parseUnsatisfied(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes */", 0, 8)) {
            return null;
        }
        try {
            long total = Long.parseLong(h.substring(8).trim());
            return total < 0 ? null : new Unsatisfied(total);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
