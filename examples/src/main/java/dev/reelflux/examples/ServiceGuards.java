package dev.reelflux.examples;

import java.time.Duration;

/**
 * What keeps {@code serve} standing in the open: who may call it, how many clips run at once (the rest get 503 at
 * once rather than a queue without bound), and how long a caller may take to send its request body.
 *
 * @param callers        the tokens callers must present on the challenge path
 * @param maxConcurrent  clips run at once
 * @param requestTimeout the longest a request body may take to arrive (408 past it)
 */
record ServiceGuards(CallerTokens callers, int maxConcurrent, Duration requestTimeout) {

    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    ServiceGuards {
        if (maxConcurrent <= 0) {
            throw new IllegalArgumentException("maxConcurrent must be positive: " + maxConcurrent);
        }
    }

    /** Open to every caller, with the default request timeout. */
    static ServiceGuards open(int maxConcurrent) {
        return new ServiceGuards(CallerTokens.OPEN, maxConcurrent, DEFAULT_REQUEST_TIMEOUT);
    }
}
