package dev.reelflux.inference.internal;

import dev.reelflux.core.Releasable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;

/**
 * Splits one stream into {@code n} by a route: each item goes to exactly one outlet, which owns it from then on. The
 * decoder's renditions of a frame go to their models' batching this way ({@code VideoFrame::output}).
 *
 * <p>Reactor's multicasting operators hand every item to every subscriber, so whichever dropped an item would have to
 * tell which subscriber owns it; here ownership never forks.
 *
 * <ul>
 *   <li>Subscribes upstream once every outlet is subscribed, and requests without bound: what bounds the stream is its
 *       producer (the decoder waits for a free slab slot of each model), as for {@link FluxFrameBatches}. An outlet
 *       without demand queues its items.</li>
 *   <li>Upstream's completion or error reaches every outlet after the items queued for it.</li>
 *   <li>A cancelled outlet closes its queued items and every later one routed to it; upstream is cancelled when every
 *       outlet is. An item routed to no outlet closes and fails every outlet.</li>
 * </ul>
 * Each outlet may be subscribed once.
 */
public final class FrameRouter<T extends Releasable> {

    private final Flux<? extends T> source;
    private final ToIntFunction<? super T> route;
    private final List<Outlet> outlets = new ArrayList<>();
    private final AtomicInteger unsubscribed;
    private final AtomicInteger live;
    private volatile Subscription upstream;
    private volatile boolean upstreamCancelled;
    private final AtomicReference<Throwable> upstreamError = new AtomicReference<>();

    public FrameRouter(Flux<? extends T> source, int outlets, ToIntFunction<? super T> route) {
        if (outlets <= 0) {
            throw new IllegalArgumentException("outlets must be positive: " + outlets);
        }
        this.source = source;
        this.route = route;
        for (int i = 0; i < outlets; i++) {
            this.outlets.add(new Outlet());
        }
        this.unsubscribed = new AtomicInteger(outlets);
        this.live = new AtomicInteger(outlets);
    }

    /**
     * The error upstream ended with, or null: set before any outlet sees it, so that a stage behind an outlet can tell
     * an error that came through the router from one of its own.
     */
    public Throwable upstreamError() {
        return upstreamError.get();
    }

    /** The items routed to {@code index}. */
    public Flux<T> outlet(int index) {
        return outlets.get(index);
    }

    private void allSubscribed() {
        source.subscribe(new CoreSubscriber<T>() {
            @Override
            public Context currentContext() {
                return outlets.get(0).actual.currentContext();
            }

            @Override
            public void onSubscribe(Subscription s) {
                upstream = s;
                if (upstreamCancelled) {
                    s.cancel();
                } else {
                    s.request(Long.MAX_VALUE);
                }
            }

            @Override
            public void onNext(T item) {
                int index = route.applyAsInt(item);
                if (index < 0 || index >= outlets.size()) {
                    item.close();
                    cancelUpstream();
                    onError(new IllegalStateException("an item for outlet " + index + " of " + outlets.size()));
                    return;
                }
                outlets.get(index).offer(item);
            }

            @Override
            public void onError(Throwable error) {
                upstreamError.compareAndSet(null, error);
                outlets.forEach(outlet -> outlet.end(error));
            }

            @Override
            public void onComplete() {
                outlets.forEach(outlet -> outlet.end(null));
            }
        });
    }

    private void cancelUpstream() {
        upstreamCancelled = true;
        Subscription s = upstream;
        if (s != null) {
            s.cancel();
        }
    }

    private final class Outlet extends Flux<T> implements Subscription {

        private final AtomicInteger wip = new AtomicInteger();
        private final AtomicLong requested = new AtomicLong();
        private CoreSubscriber<? super T> actual;
        // Guarded by this.
        private final ArrayDeque<T> queue = new ArrayDeque<>();
        private boolean done;
        private Throwable error;
        private boolean cancelled;
        private boolean terminated;

        @Override
        public void subscribe(CoreSubscriber<? super T> subscriber) {
            synchronized (this) {
                if (actual != null) {
                    Operators.error(subscriber, new IllegalStateException("an outlet takes one subscriber"));
                    return;
                }
                actual = subscriber;
            }
            subscriber.onSubscribe(this);
            if (unsubscribed.decrementAndGet() == 0) {
                allSubscribed();
            }
        }

        void offer(T item) {
            synchronized (this) {
                if (!cancelled && !done) {
                    queue.add(item);
                    item = null;
                }
            }
            if (item != null) {
                item.close();
                return;
            }
            drain();
        }

        void end(Throwable failure) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                error = failure;
            }
            drain();
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                requested.getAndUpdate(r -> Operators.addCap(r, n));
                drain();
            }
        }

        @Override
        public void cancel() {
            List<T> dropped;
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                cancelled = true;
                dropped = new ArrayList<>(queue);
                queue.clear();
            }
            dropped.forEach(Releasable::close);
            if (live.decrementAndGet() == 0) {
                cancelUpstream();
            }
        }

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            while (true) {
                long wanted = requested.get();
                long emitted = 0;
                while (emitted != wanted) {
                    T next;
                    synchronized (this) {
                        next = cancelled ? null : queue.poll();
                    }
                    if (next == null) {
                        break;
                    }
                    actual.onNext(next);
                    emitted++;
                }
                long produced = emitted;
                if (produced > 0) {
                    requested.getAndUpdate(r -> r == Long.MAX_VALUE ? r : r - produced);
                }
                boolean end;
                Throwable failure;
                synchronized (this) {
                    end = done && queue.isEmpty() && !cancelled && !terminated;
                    terminated |= end;
                    failure = error;
                }
                if (end && failure != null) {
                    actual.onError(failure);
                } else if (end) {
                    actual.onComplete();
                }
                missed = wip.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }
    }
}
