package dev.reelflux.decoders.internal;

import dev.reelflux.core.Chunk;
import dev.reelflux.core.Releasable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One read of the source: a bounded queue of chunks that arrive on the source's thread and are taken on the decode
 * thread. It asks for {@code prefetch} chunks up front and for one more each time one is taken, so at most
 * {@code prefetch} chunks wait here and the source is read no faster than FFmpeg consumes.
 *
 * <p>After {@link #cancel()} every chunk still queued, and any that arrives late, is closed.
 */
final class ChunkSubscriber implements CoreSubscriber<Chunk> {

    private final int prefetch;
    private final StopSignal signal;
    private final Counters counters;
    private final Context context;
    private final Queue<Chunk> queue = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Subscription> subscription = new AtomicReference<>();
    private volatile boolean cancelled;
    private volatile boolean done;
    private volatile Throwable error;

    ChunkSubscriber(int prefetch, StopSignal signal, Counters counters, Context context) {
        this.prefetch = prefetch;
        this.signal = signal;
        this.counters = counters;
        // Chunks an operator of the source drops after our cancel are closed, not leaked.
        this.context = Operators.enableOnDiscard(context, Releasable::closeIfReleasable);
    }

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (!subscription.compareAndSet(null, s) || cancelled) {
            s.cancel();
            return;
        }
        s.request(prefetch);
    }

    @Override
    public void onNext(Chunk chunk) {
        counters.bytesFetched.addAndGet(chunk.remaining());
        queue.offer(chunk);
        if (cancelled) {
            closeQueued();
        }
        signal.wake();
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

    /**
     * The next chunk, or {@code null} when none is queued; asks the source for a replacement. A {@code null} with
     * {@link #finished()} true means the read is over.
     */
    Chunk poll() {
        Chunk chunk = queue.poll();
        if (chunk != null) {
            subscription.get().request(1);
        }
        return chunk;
    }

    /** Whether no chunk is queued. */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** True once the source completed or failed; chunks may still be queued. */
    boolean finished() {
        return done;
    }

    /** The source's error, or {@code null}. */
    Throwable error() {
        return error;
    }

    /** Stops the read and closes every chunk it holds or will receive. */
    void cancel() {
        cancelled = true;
        Subscription s = subscription.get();
        if (s != null) {
            s.cancel();
        }
        closeQueued();
    }

    private void closeQueued() {
        for (Chunk chunk; (chunk = queue.poll()) != null; ) {
            chunk.close();
        }
    }
}
