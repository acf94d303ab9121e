package dev.reelflux.decoders.internal;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Waits on the decode thread for a {@link Mono}, giving up (and cancelling it) as soon as the decode is stopped; a
 * plain {@code block()} would keep a cancelled decode thread waiting on a slow server.
 */
final class MonoAwait<T> implements CoreSubscriber<T> {

    private final StopSignal signal;
    private final Context context;
    private volatile Subscription subscription;
    private volatile boolean done;
    private volatile T value;
    private volatile Throwable error;

    private MonoAwait(StopSignal signal, Context context) {
        this.signal = signal;
        this.context = context;
    }

    /**
     * The value of {@code mono}, or {@code null} if it completes empty.
     *
     * @throws Stopped when the decode is stopped first
     * @throws RuntimeException the mono's error (checked ones wrapped by {@link Exceptions#propagate})
     */
    static <T> T value(Mono<T> mono, StopSignal signal, Context context) {
        MonoAwait<T> await = new MonoAwait<>(signal, context);
        mono.subscribe(await);
        try {
            while (!await.done) {
                signal.await();
            }
        } catch (Stopped e) {
            await.subscription.cancel();
            throw e;
        }
        if (await.error != null) {
            throw Exceptions.propagate(await.error);
        }
        return await.value;
    }

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(T t) {
        value = t;
    }

    @Override
    public void onError(Throwable t) {
        error = t;
        done = true;
        signal.wake();
    }

    @Override
    public void onComplete() {
        done = true;
        signal.wake();
    }
}
