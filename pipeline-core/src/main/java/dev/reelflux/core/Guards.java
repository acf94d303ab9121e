package dev.reelflux.core;

import dev.reelflux.core.internal.FluxIdleTimeout;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/** Timeout guards to plug into a pipeline with {@code transform}. */
public final class Guards {

    private Guards() {
    }

    /**
     * Fails the flux with {@code error} when no item arrives for {@code idle} <em>while the subscriber has outstanding
     * demand</em>. Unlike {@link Flux#timeout(Duration)}, a slow subscriber that simply stops requesting never trips
     * it, so it can guard a backpressured download.
     *
     * <p>Emits what upstream emits; backpressures as upstream does; on a trip cancels upstream (which releases what it
     * holds) and signals the error. The timer resolution is a quarter of {@code idle}.
     */
    public static <T> Function<Flux<T>, Flux<T>> idleTimeout(Duration idle, Supplier<? extends Throwable> error) {
        return idleTimeout(idle, error, Schedulers.parallel());
    }

    /** {@link #idleTimeout(Duration, Supplier)} with the timer on {@code timer} (virtual time in tests). */
    public static <T> Function<Flux<T>, Flux<T>> idleTimeout(Duration idle, Supplier<? extends Throwable> error,
                                                            Scheduler timer) {
        if (idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("idle must be positive: " + idle);
        }
        return flux -> new FluxIdleTimeout<>(flux, idle, error, timer);
    }
}
