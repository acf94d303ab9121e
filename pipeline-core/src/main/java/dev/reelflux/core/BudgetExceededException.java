package dev.reelflux.core;

import java.time.Duration;

/** A pipeline guarded by a {@link TimeBudget} with {@code optFailOnExpiry(true)} ran past its deadline. */
public class BudgetExceededException extends ReelfluxException {

    private final Duration budget;

    public BudgetExceededException(Duration budget) {
        super("budget", "time budget of " + budget.toMillis() + " ms exceeded", null);
        this.budget = budget;
    }

    public Duration budget() {
        return budget;
    }
}
