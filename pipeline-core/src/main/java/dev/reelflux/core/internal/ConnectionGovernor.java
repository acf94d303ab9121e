package dev.reelflux.core.internal;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * How many segment reads of one parallel read run at once, found out as they go: it starts with four and doubles the
 * count while that raises the aggregate throughput by a fifth or more, up to a cap. A link that limits each
 * connection keeps rewarding more; one that is simply full stops rewarding, and the count goes back to where it
 * was. Each count is judged over an epoch, by all the bytes that arrived in it: the epoch ends once every
 * connection finished a segment or a quarter of a second passed, whichever comes first, so that long segments over a
 * slow link do not hold the ramp back; a raised count admits waiting reads at once. Doubling rather than adding one
 * reaches the cap in a few epochs, before a short clip is over. Waiting reads are admitted in the order they asked,
 * which is the order their bytes are needed. Thread-safe.
 */
public final class ConnectionGovernor {

    /** Connections at first: per-connection limits are common enough that fewer would only delay the ramp. */
    private static final int START = 4;
    /** A step up must raise the aggregate throughput by this much to count as a gain. */
    private static final double GAIN = 1.2;
    /** The longest epoch: long enough to average out a request's round trip, short against a clip's download. */
    private static final long EPOCH_NANOS = 250_000_000L;

    private final int max;
    private final LongSupplier clock;
    private final Deque<MonoSink<Boolean>> waiting = new ArrayDeque<>();
    private final AtomicLong epochBytes = new AtomicLong();
    private int level;
    private int active;
    private boolean settled;
    /** Epochs start once every slot was filled: before, one request ran alone while the size was unknown. */
    private boolean started;
    private long epochStart;
    private int epochCompletions;
    private double previousRate;
    private int previousLevel;

    /** A governor allowing at most {@code max} reads at once, timing epochs with {@code clock} (nanoseconds). */
    public ConnectionGovernor(int max, LongSupplier clock) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1: " + max);
        }
        this.max = max;
        this.level = Math.min(START, max);
        this.clock = clock;
    }

    /** {@code read} once a connection is free for it; its items' {@code bytes} count towards the throughput. */
    public <T> Flux<T> admit(Flux<T> read, ToLongFunction<T> bytes) {
        return Mono.<Boolean>create(this::enter)
                .flatMapMany(admitted -> read.doOnNext(item -> arrived(bytes.applyAsLong(item))))
                .doFinally(signal -> leave());
    }

    private synchronized void enter(MonoSink<Boolean> sink) {
        if (active < level) {
            active++;
            if (!started && active == level) {
                started = true;
                startEpoch();
            }
            sink.success(true);
            return;
        }
        waiting.add(sink);
        sink.onCancel(() -> {
            synchronized (this) {
                waiting.remove(sink);
            }
        });
    }

    private void arrived(long bytes) {
        epochBytes.addAndGet(bytes);
        List<MonoSink<Boolean>> admitted;
        synchronized (this) {
            if (!started || settled || clock.getAsLong() - epochStart < EPOCH_NANOS) {
                return;
            }
            judge();
            admitted = admitWaiting();
        }
        // Outside the lock: success subscribes the admitted read.
        admitted.forEach(sink -> sink.success(true));
    }

    private void leave() {
        List<MonoSink<Boolean>> admitted;
        synchronized (this) {
            active--;
            if (started && ++epochCompletions >= level) {
                judge();
            }
            admitted = admitWaiting();
        }
        admitted.forEach(sink -> sink.success(true));
    }

    /** Takes waiting reads into free slots; the caller completes them once it left the lock. */
    private List<MonoSink<Boolean>> admitWaiting() {
        List<MonoSink<Boolean>> admitted = new ArrayList<>();
        while (active < level && !waiting.isEmpty()) {
            active++;
            admitted.add(waiting.poll());
        }
        return admitted;
    }

    /** The end of an epoch: twice the connections if this count moved clearly more bytes than the one before. */
    private void judge() {
        double rate = epochBytes.get() * 1e9 / Math.max(1, clock.getAsLong() - epochStart);
        startEpoch();
        if (settled) {
            return;
        }
        if (previousRate > 0 && rate < GAIN * previousRate) {
            // The last doubling did not pay: back to the count before it, and stay.
            level = previousLevel;
            settled = true;
        } else if (level >= max) {
            settled = true;
        } else {
            previousRate = rate;
            previousLevel = level;
            level = Math.min(max, level * 2);
        }
    }

    private void startEpoch() {
        epochStart = clock.getAsLong();
        epochBytes.set(0);
        epochCompletions = 0;
    }
}
