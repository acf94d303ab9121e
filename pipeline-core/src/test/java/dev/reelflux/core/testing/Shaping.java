package dev.reelflux.core.testing;

import java.time.Duration;

/**
 * The pace a server answers at, replaced as a whole by {@link TestHttpServer#shape(long, Duration)} so a response
 * never sees a rate from one call and a latency from another.
 *
 * @param bytesPerSecond   body rate per response, 0 for unlimited
 * @param firstByteLatency delay before the status line and headers
 */
record Shaping(long bytesPerSecond, Duration firstByteLatency) {

    static final Shaping NONE = new Shaping(0, Duration.ZERO);
}
