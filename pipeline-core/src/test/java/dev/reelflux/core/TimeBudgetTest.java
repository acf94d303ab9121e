package dev.reelflux.core;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class TimeBudgetTest {

    @Test
    void emitsWhatIsReadyThenCompletesAtTheDeadlineAndCancelsUpstream() {
        AtomicReference<TimeBudget> budget = new AtomicReference<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        StepVerifier.withVirtualTime(() -> {
                    budget.set(TimeBudget.startingNow(Duration.ofSeconds(2), VirtualTimeScheduler.get()));
                    return Flux.interval(Duration.ofMillis(500), VirtualTimeScheduler.get())
                            .doOnCancel(() -> cancelled.set(true))
                            .transform(budget.get().guard());
                })
                .thenAwait(Duration.ofSeconds(3))
                .expectNext(0L, 1L, 2L)
                .verifyComplete();
        assertThat(cancelled).isTrue();
        assertThat(budget.get().expired()).isTrue();
        assertThat(budget.get().isOver()).isTrue();
    }

    @Test
    void aPipelineThatEndsInTimeIsUntouched() {
        AtomicReference<TimeBudget> budget = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> {
                    budget.set(TimeBudget.startingNow(Duration.ofSeconds(2), VirtualTimeScheduler.get()));
                    return Flux.range(0, 3).transform(budget.get().guard());
                })
                .expectNext(0, 1, 2)
                .verifyComplete();
        assertThat(budget.get().expired()).isFalse();
        assertThat(budget.get().remaining()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void canFailInsteadOfCompleting() {
        StepVerifier.withVirtualTime(() -> Flux.<Integer>never()
                        .transform(TimeBudget.startingNow(Duration.ofSeconds(1), VirtualTimeScheduler.get())
                                .optFailOnExpiry(true).guard()))
                .thenAwait(Duration.ofSeconds(1))
                .expectError(BudgetExceededException.class)
                .verify();
    }

    @Test
    void theClockStartsWhenTheBudgetIsCreatedNotWhenSubscribed() {
        StepVerifier.withVirtualTime(() -> {
                    TimeBudget budget = TimeBudget.startingNow(Duration.ofSeconds(1), VirtualTimeScheduler.get());
                    VirtualTimeScheduler.get().advanceTimeBy(Duration.ofMillis(800));
                    return Flux.<Integer>never().transform(budget.guard());
                })
                .thenAwait(Duration.ofMillis(200))
                .verifyComplete();
    }
}
