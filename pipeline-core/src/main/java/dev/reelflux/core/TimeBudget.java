package dev.reelflux.core;

import dev.reelflux.core.internal.Values;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
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

    private final Settings settings;

    private TimeBudget(Settings settings) {
        this.settings = settings;
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
        Settings values = new Settings();
        values.budget = budget;
        values.deadlineMillis = timer.now(TimeUnit.MILLISECONDS) + budget.toMillis();
        values.timer = timer;
        return new TimeBudget(values);
    }

    /** A copy whose guard fails with {@link BudgetExceededException} at the deadline instead of completing. */
    public TimeBudget optFailOnExpiry(boolean fail) {
        return with(s -> s.failOnExpiry = fail);
    }

    public Duration budget() {
        return settings.budget;
    }

    /** Time left before the deadline; zero once it has passed. */
    public Duration remaining() {
        return Duration.ofMillis(Math.max(0, settings.deadlineMillis - settings.timer.now(TimeUnit.MILLISECONDS)));
    }

    /** Whether the deadline has passed. */
    public boolean isOver() {
        return remaining().isZero();
    }

    /** Whether a guard cut a pipeline short at the deadline. */
    public boolean expired() {
        return settings.hit.get();
    }

    /**
     * The guard: passes items through until the deadline, then cancels upstream and completes (or fails, see
     * {@link #optFailOnExpiry}). A pipeline that ends before the deadline is not affected.
     */
    public <T> Function<Flux<T>, Flux<T>> guard() {
        return flux -> Flux.defer(() -> {
            Mono<Long> deadline = Mono.delay(remaining(), settings.timer).doOnNext(tick -> settings.hit.set(true));
            Flux<T> cut = flux.takeUntilOther(deadline);
            if (!settings.failOnExpiry) {
                return cut;
            }
            return cut.concatWith(Mono.defer(() -> settings.hit.get()
                    ? Mono.error(new BudgetExceededException(settings.budget))
                    : Mono.empty()));
        });
    }

    @Override
    public String toString() {
        return "TimeBudget[" + settings.budget + ", remaining " + remaining()
                + (settings.hit.get() ? ", expired]" : "]");
    }

    private TimeBudget with(Consumer<Settings> change) {
        return new TimeBudget(settings.with(change));
    }

    private static final class Settings extends Values<Settings> {
        private Duration budget;
        private long deadlineMillis;
        private Scheduler timer;
        private boolean failOnExpiry;
        private AtomicBoolean hit = new AtomicBoolean();
    }
}
