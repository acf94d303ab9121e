package dev.reelflux.core.internal;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Demand-aware idle timeout: the clock runs only while requested items are outstanding.
 * See {@link dev.reelflux.core.Guards#idleTimeout}.
 */
public final class FluxIdleTimeout<T> extends FluxOperator<T, T> {

    private final long idleMillis;
    private final Supplier<? extends Throwable> error;
    private final Scheduler timer;

    public FluxIdleTimeout(Flux<? extends T> source, Duration idle, Supplier<? extends Throwable> error,
                           Scheduler timer) {
        super(source);
        this.idleMillis = idle.toMillis();
        this.error = error;
        this.timer = timer;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        source.subscribe(new IdleSubscriber<>(Operators.serialize(actual), idleMillis, error, timer));
    }

    private static final class IdleSubscriber<T> implements CoreSubscriber<T>, Subscription {

        private final CoreSubscriber<? super T> actual;
        private final long idleMillis;
        private final Supplier<? extends Throwable> error;
        private final Scheduler timer;
        private final AtomicLong outstanding = new AtomicLong();
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile long lastProgress;
        private Subscription upstream;
        private Disposable ticker;

        IdleSubscriber(CoreSubscriber<? super T> actual, long idleMillis, Supplier<? extends Throwable> error,
                       Scheduler timer) {
            this.actual = actual;
            this.idleMillis = idleMillis;
            this.error = error;
            this.timer = timer;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                lastProgress = now();
                long period = Math.max(1, idleMillis / 4);
                ticker = timer.schedulePeriodically(this::check, period, period, TimeUnit.MILLISECONDS);
                actual.onSubscribe(this);
            }
        }

        private long now() {
            return timer.now(TimeUnit.MILLISECONDS);
        }

        private void check() {
            if (outstanding.get() > 0 && now() - lastProgress >= idleMillis && done.compareAndSet(false, true)) {
                ticker.dispose();
                upstream.cancel();
                actual.onError(error.get());
            }
        }

        @Override
        public void onNext(T item) {
            if (done.get()) {
                // Cancelled or timed out while the item was on its way: discarded, so that a pooled item is released.
                Operators.onDiscard(item, actual.currentContext());
                return;
            }
            lastProgress = now();
            if (outstanding.get() != Long.MAX_VALUE) {
                outstanding.decrementAndGet();
            }
            actual.onNext(item);
        }

        @Override
        public void onError(Throwable t) {
            if (done.compareAndSet(false, true)) {
                ticker.dispose();
                actual.onError(t);
            } else {
                Operators.onErrorDropped(t, actual.currentContext());
            }
        }

        @Override
        public void onComplete() {
            if (done.compareAndSet(false, true)) {
                ticker.dispose();
                actual.onComplete();
            }
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                // The idle clock restarts when demand goes from none to some: time spent without demand is the
                // subscriber's, not the source's.
                long before = outstanding.getAndAccumulate(n, Operators::addCap);
                if (before == 0) {
                    lastProgress = now();
                }
                upstream.request(n);
            }
        }

        @Override
        public void cancel() {
            done.set(true);
            ticker.dispose();
            upstream.cancel();
        }
    }
}
