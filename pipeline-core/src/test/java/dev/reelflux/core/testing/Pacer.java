package dev.reelflux.core.testing;

import java.util.function.LongSupplier;

/**
 * Token-bucket pacing for one response body: chunk {@code k} may leave no earlier than
 * {@code start + (bytes before it) / rate}.
 *
 * <p>The rate is read again for every chunk, so a test can change it in the middle of a response; a new rate counts
 * from the moment it is first seen, never retroactively. Not thread-safe: one body's chunks are produced one at a time.
 */
final class Pacer {

    private static final int MIN_CHUNK = 1024;
    private static final int MAX_CHUNK = 64 * 1024;
    private static final int CHUNKS_PER_SECOND = 50;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LongSupplier bytesPerSecond;
    private long sent;
    private long anchorRate = -1;
    private long anchorNanos;
    private long anchorSent;

    /**
     * @param bytesPerSecond the current rate, 0 for unlimited
     */
    Pacer(LongSupplier bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /**
     * The next chunk's size: about 20 ms worth of bytes at the current rate, so pacing is smooth without tiny writes.
     */
    int chunkSize() {
        long rate = bytesPerSecond.getAsLong();
        return rate == 0 ? MAX_CHUNK : (int) Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, rate / CHUNKS_PER_SECOND));
    }

    /**
     * Counts a chunk of {@code length} bytes as sent and tells how long to wait before sending it.
     *
     * @return nanoseconds to wait, {@code >= 0}
     */
    long delayNanos(int length) {
        long rate = bytesPerSecond.getAsLong();
        long now = System.nanoTime();
        if (rate != anchorRate) {
            anchorRate = rate;
            anchorNanos = now;
            anchorSent = sent;
        }
        long before = sent;
        sent += length;
        if (rate == 0) {
            return 0;
        }
        // Double arithmetic: bytes * 1e9 overflows a long past about 9 GB.
        long due = anchorNanos + (long) ((double) (before - anchorSent) * NANOS_PER_SECOND / rate);
        return Math.max(0, due - now);
    }
}
