package dev.reelflux.inference.internal;

import dev.reelflux.core.Releasable;
import dev.reelflux.decoders.VideoFrame;
import dev.reelflux.decoders.internal.FrameAccess;
import dev.reelflux.inference.FrameBatch;
import dev.reelflux.inference.FrameInfo;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * Groups frames into {@link FrameBatch}es over the slabs of a {@link SlabFiller}: frames the decoder wrote into
 * consecutive slots become a batch as they are, any other frame is copied into the next slot first. A batch leaves
 * when its slab is full, when {@code maxWait} has passed since its first frame, or when the stream ends (an upstream
 * error is signalled after the batch of frames that came before it).
 *
 * <p>Upstream is requested without bound: what bounds it is the slab pool, since lending a slot blocks the decode
 * thread while every slab is out. Ready batches wait for downstream demand (at most the pool's slabs of them).
 */
final class FluxFrameBatches extends FluxOperator<VideoFrame, FrameBatch> {

    private final SlabFiller filler;
    private final long maxWaitMillis;
    private final Scheduler timer;

    FluxFrameBatches(Flux<? extends VideoFrame> frames, SlabFiller filler, Duration maxWait, Scheduler timer) {
        super(frames);
        this.filler = filler;
        this.maxWaitMillis = maxWait.toMillis();
        this.timer = timer;
    }

    @Override
    public void subscribe(CoreSubscriber<? super FrameBatch> actual) {
        source.subscribe(new BatchingSubscriber(actual, filler, maxWaitMillis, timer));
    }

    private static final class BatchingSubscriber implements CoreSubscriber<VideoFrame>, Subscription {

        private final CoreSubscriber<? super FrameBatch> actual;
        private final SlabFiller filler;
        private final long maxWaitMillis;
        private final Scheduler timer;
        private volatile long requested;
        private final AtomicInteger wip = new AtomicInteger();
        private Subscription upstream;

        // Guarded by this.
        private SlabFill pendingFill;
        private final List<FrameInfo> pendingInfos = new ArrayList<>();
        private final List<Releasable> pendingFrames = new ArrayList<>();
        private Disposable waitTimer;
        private final ArrayDeque<FrameBatch> ready = new ArrayDeque<>();
        private boolean upstreamDone;
        private Throwable error;
        private boolean cancelled;
        private boolean terminated;

        BatchingSubscriber(CoreSubscriber<? super FrameBatch> actual, SlabFiller filler, long maxWaitMillis,
                           Scheduler timer) {
            this.actual = actual;
            this.filler = filler;
            this.maxWaitMillis = maxWaitMillis;
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
                actual.onSubscribe(this);
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(VideoFrame frame) {
            FrameInfo info = new FrameInfo(frame.index(), frame.time(), frame.letterbox());
            Releasable owned = frame;
            SlabFill.Slot slot = FrameAccess.pixels(frame) instanceof SlabFill.Slot s ? s : null;
            try {
                ByteBuffer pixels = frame.data();
                while (true) {
                    synchronized (this) {
                        if (cancelled || upstreamDone) {
                            owned.close();
                            return;
                        }
                        if (slot != null && fits(slot)) {
                            add(slot, info, owned);
                            break;
                        }
                    }
                    // Not the slot the batch needs (a foreign allocator, or a fill cut short by the wait): copy into
                    // the next slot, outside the lock, since taking a slab may wait for the model to give one back.
                    SlabFill.Slot copy = filler.copy(pixels, frame.format());
                    owned.close();
                    owned = copy;
                    pixels = copy.buffer();
                    slot = copy;
                }
            } catch (RuntimeException e) {
                owned.close();
                upstream.cancel();
                onError(e);
                return;
            }
            drain();
        }

        private boolean fits(SlabFill.Slot slot) {
            return slot.fill == pendingFill ? slot.index == pendingInfos.size() : filler.startsUnclaimedFill(slot);
        }

        private void add(SlabFill.Slot slot, FrameInfo info, Releasable frame) {
            if (pendingFill != null && slot.fill != pendingFill) {
                flush();
            }
            pendingFill = slot.fill;
            pendingInfos.add(info);
            pendingFrames.add(frame);
            if (pendingInfos.size() == slot.fill.slab.shape().batchSize()) {
                flush();
            } else if (pendingInfos.size() == 1) {
                SlabFill waitingFill = pendingFill;
                waitTimer = timer.schedule(() -> waitExpired(waitingFill), maxWaitMillis, TimeUnit.MILLISECONDS);
            }
        }

        private void waitExpired(SlabFill fill) {
            synchronized (this) {
                if (fill != pendingFill || cancelled) {
                    return;
                }
                flush();
            }
            drain();
        }

        /** Turns the pending frames into a ready batch that holds their slots and the fill. */
        private void flush() {
            if (pendingFill == null) {
                return;
            }
            if (waitTimer != null) {
                waitTimer.dispose();
                waitTimer = null;
            }
            List<Releasable> holds = new ArrayList<>(pendingFrames);
            holds.add(filler.claim(pendingFill));
            ready.add(new FrameBatch(pendingFill.slab, pendingInfos, () -> holds.forEach(Releasable::close)));
            pendingFill = null;
            pendingInfos.clear();
            pendingFrames.clear();
        }

        @Override
        public void onError(Throwable t) {
            synchronized (this) {
                if (upstreamDone || cancelled) {
                    Operators.onErrorDropped(t, actual.currentContext());
                    return;
                }
                error = t;
                endUpstream();
            }
            drain();
        }

        @Override
        public void onComplete() {
            synchronized (this) {
                if (upstreamDone || cancelled) {
                    return;
                }
                endUpstream();
            }
            drain();
        }

        private void endUpstream() {
            flush();
            upstreamDone = true;
            filler.close();
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                Operators.addCap(REQUESTED, this, n);
                drain();
            }
        }

        @Override
        public void cancel() {
            List<Releasable> dropped;
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                cancelled = true;
                if (waitTimer != null) {
                    waitTimer.dispose();
                }
                dropped = new ArrayList<>(pendingFrames);
                dropped.addAll(ready);
                pendingFrames.clear();
                pendingInfos.clear();
                pendingFill = null;
                ready.clear();
            }
            upstream.cancel();
            dropped.forEach(Releasable::close);
            filler.close();
        }

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            while (true) {
                long wanted = requested;
                long emitted = 0;
                while (emitted != wanted) {
                    FrameBatch next;
                    synchronized (this) {
                        next = cancelled ? null : ready.poll();
                    }
                    if (next == null) {
                        break;
                    }
                    actual.onNext(next);
                    emitted++;
                }
                if (emitted > 0) {
                    Operators.produced(REQUESTED, this, emitted);
                }
                boolean end;
                synchronized (this) {
                    end = upstreamDone && ready.isEmpty() && !cancelled && !terminated;
                    terminated |= end;
                }
                if (end && error != null) {
                    actual.onError(error);
                } else if (end) {
                    actual.onComplete();
                }
                missed = wip.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        private static final AtomicLongFieldUpdater<BatchingSubscriber> REQUESTED =
                AtomicLongFieldUpdater.newUpdater(BatchingSubscriber.class, "requested");
    }
}
