package dev.reelflux.core;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One deadline for a whole request. Create it when the request arrives, hand it to the stages that can adapt to it
 * (they may read {@link #remaining()}), and guard the end of the pipeline with {@link #guard()}.
 *
 * <p>At the deadline the guard cancels everything upstream (download, decode, queued batches: each stage releases what
 * it holds) and completes, so every result emitted before the deadline reaches the subscriber and nothing after it
 * does. {@link #expired()} then tells a report that the budget was hit. With {@link #optFailOnExpiry} the guard signals
 * {@link BudgetExceededException} instead of completing.
 */
public final class TimeBudget {

    private final Duration budget;
    private final long deadlineMillis;
    private final Scheduler timer;
    private final boolean failOnExpiry;
    private final AtomicBoolean hit;

    private TimeBudget(Duration budget, long deadlineMillis, Scheduler timer, boolean failOnExpiry, AtomicBoolean hit) {
        this.budget = budget;
        this.deadlineMillis = deadlineMillis;
        this.timer = timer;
        this.failOnExpiry = failOnExpiry;
        this.hit = hit;
    }

    /** A budget of {@code budget} starting now. */
    public static TimeBudget startingNow(Duration budget) {
        return startingNow(budget, Schedulers.parallel());
    }

    /** A budget of {@code budget} starting now on {@code timer}'s clock (virtual time in tests). */
    public static TimeBudget startingNow(Duration budget, Scheduler timer) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("budget must not be negative: " + budget);
        }
        return new TimeBudget(budget, timer.now(TimeUnit.MILLISECONDS) + budget.toMillis(), timer, false,
                new AtomicBoolean());
    }

    /** A copy whose guard fails with {@link BudgetExceededException} at the deadline instead of completing. */
    public TimeBudget optFailOnExpiry(boolean fail) {
        return new TimeBudget(budget, deadlineMillis, timer, fail, hit);
    }

    public Duration budget() {
        return budget;
    }

    /** Time left before the deadline; zero once it has passed. */
    public Duration remaining() {
        return Duration.ofMillis(Math.max(0, deadlineMillis - timer.now(TimeUnit.MILLISECONDS)));
    }

    /** Whether the deadline has passed. */
    public boolean isOver() {
        return remaining().isZero();
    }

    /** Whether a guard cut a pipeline short at the deadline. */
    public boolean expired() {
        return hit.get();
    }

    /**
     * The guard: passes items through until the deadline, then cancels upstream and completes (or fails, see
     * {@link #optFailOnExpiry}). A pipeline that ends before the deadline is not affected.
     */
    public <T> Function<Flux<T>, Flux<T>> guard() {
        return flux -> Flux.defer(() -> {
            Mono<Long> deadline = Mono.delay(remaining(), timer).doOnNext(tick -> hit.set(true));
            Flux<T> cut = flux.takeUntilOther(deadline);
            if (!failOnExpiry) {
                return cut;
            }
            return cut.concatWith(Mono.defer(() -> hit.get()
                    ? Mono.error(new BudgetExceededException(budget))
                    : Mono.empty()));
        });
    }

    @Override
    public String toString() {
        return "TimeBudget[" + budget + ", remaining " + remaining() + (hit.get() ? ", expired]" : "]");
    }
}
