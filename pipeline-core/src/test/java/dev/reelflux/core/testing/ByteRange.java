package dev.reelflux.core.testing;

import java.util.Locale;

/**
 * The part of a body a request gets, from its {@code Range} header (RFC 9110, section 14).
 *
 * @param start  first byte offset
 * @param end    offset after the last byte
 * @param status 200 (whole body), 206 (one satisfiable range) or 416 (unsatisfiable; start and end are 0)
 */
record ByteRange(long start, long end, int status) {

    /**
     * The whole body.
     */
    static ByteRange full(long size) {
        return new ByteRange(0, size, 200);
    }

    /**
     * Selects the range a {@code Range} header asks for. No header, another unit, a malformed value and a multi-range
     * request all get the whole body, which RFC 9110 allows.
     *
     * @param header the raw header value, or {@code null}
     * @param size   the body size
     */
    static ByteRange select(String header, long size) {
        if (header == null) {
            return full(size);
        }
        String value = header.trim();
        if (!value.toLowerCase(Locale.ROOT).startsWith("bytes=") || value.indexOf(',') >= 0) {
            return full(size);
        }
        String spec = value.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return full(size);
        }
        long first = digits(spec.substring(0, dash).trim());
        long last = digits(spec.substring(dash + 1).trim());
        if (dash == 0) {
            return suffix(last, size);
        }
        if (first < 0 || (last < 0 && dash + 1 < spec.length()) || (last >= 0 && last < first)) {
            return full(size);
        }
        if (first >= size) {
            return unsatisfiable();
        }
        long end = last < 0 ? size : Math.min(last, size - 1) + 1;
        return new ByteRange(first, end, 206);
    }

    long length() {
        return end - start;
    }

    /**
     * The {@code Content-Range} value of a 206 or 416.
     */
    String contentRange(long size) {
        return status == 416 ? "bytes */" + size : "bytes " + start + "-" + (end - 1) + "/" + size;
    }

    private static ByteRange suffix(long length, long size) {
        if (length < 0) {
            return full(size);
        }
        if (length == 0 || size == 0) {
            return unsatisfiable();
        }
        return new ByteRange(Math.max(0, size - length), size, 206);
    }

    private static ByteRange unsatisfiable() {
        return new ByteRange(0, 0, 416);
    }

    /**
     * Parses a decimal number; -1 when {@code text} is empty or not all digits, {@link Long#MAX_VALUE} when too large
     * (a larger position than any body is still a valid one).
     */
    private static long digits(String text) {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            return Long.MAX_VALUE;
        }
    }
}
