package dev.reelflux.inference;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link SlabPool#acquire()}: joins the pool's waiters on the first request and emits the slab it is offered.
 *
 * <p>Hand-written rather than {@code Mono.create}, whose sink may drop a value that races with cancel without
 * routing it to a discard hook: here a single compare-and-set decides between "the subscriber gets this slab" and
 * "the pool gives it to the next waiter", so a slab is never lost to a cancelled subscriber.
 */
final class SlabAcquireMono extends Mono<BatchSlab> {

    private final SlabPool pool;

    SlabAcquireMono(SlabPool pool) {
        this.pool = pool;
    }

    @Override
    public void subscribe(CoreSubscriber<? super BatchSlab> actual) {
        actual.onSubscribe(new Waiter(pool, actual));
    }

    private static final class Waiter implements Subscription, SlabWaiter {

        private static final int IDLE = 0;
        private static final int WAITING = 1;
        private static final int SERVED = 2;
        private static final int CANCELLED = 3;

        private final SlabPool pool;
        private final CoreSubscriber<? super BatchSlab> actual;
        private final AtomicInteger state = new AtomicInteger(IDLE);

        Waiter(SlabPool pool, CoreSubscriber<? super BatchSlab> actual) {
            this.pool = pool;
            this.actual = actual;
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n) && state.compareAndSet(IDLE, WAITING)) {
                pool.enqueue(this);
            }
        }

        @Override
        public void cancel() {
            if (state.getAndSet(CANCELLED) == WAITING) {
                pool.dequeue(this);
            }
        }

        @Override
        public boolean offer(ByteBuffer memory) {
            if (!state.compareAndSet(WAITING, SERVED)) {
                return false;
            }
            actual.onNext(pool.lease(memory));
            actual.onComplete();
            return true;
        }
    }
}
