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
 * was. Each count is judged over an epoch, by all the bytes that arrived in it. An epoch starts once every read of
 * the count delivered its first byte, so that opening connections (a round trip, a TLS handshake) does not count
 * against the new count, and ends once every connection finished a segment or a quarter of a second passed,
 * whichever comes first, so that long segments over a slow link do not hold the ramp back; a raised count admits
 * waiting reads at once. Doubling rather than adding one reaches the cap in a few epochs, before a short clip is
 * over. Waiting reads are admitted in the order they asked, which is the order their bytes are needed. Thread-safe.
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
    private final Deque<Waiter> waiting = new ArrayDeque<>();
    private final AtomicLong epochBytes = new AtomicLong();
    private int level;
    private int active;
    /** Admitted reads that have not delivered a byte yet. */
    private int silent;
    private volatile boolean settled;
    /** An epoch waits for every read of a new count to deliver (the first waits for the first count to fill). */
    private boolean epochDue;
    private boolean epochRunning;
    private long epochStart;
    private int epochCompletions;
    private double previousRate;
    private int previousLevel;

    /** One read's standing; guarded by the governor's lock. */
    private static final class Slot {
        boolean admitted;
        boolean delivered;
    }

    private record Waiter(MonoSink<Boolean> sink, Slot slot) {
    }

    /** A governor allowing at most {@code max} reads at once, timing epochs with {@code clock} (nanoseconds). */
    public ConnectionGovernor(int max, LongSupplier clock) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1: " + max);
        }
        this.max = max;
        this.level = Math.min(START, max);
        this.clock = clock;
    }

    /**
     * A governor allowing {@code max} reads at once from the start, never more or fewer: a gate that keeps the reads
     * waiting for their turn apart from the reads in flight.
     */
    public static ConnectionGovernor fixed(int max) {
        ConnectionGovernor governor = new ConnectionGovernor(max, () -> 0L);
        governor.level = max;
        governor.settled = true;
        return governor;
    }

    /** {@code read} once a connection is free for it; its items' {@code bytes} count towards the throughput. */
    public <T> Flux<T> admit(Flux<T> read, ToLongFunction<T> bytes) {
        return Flux.defer(() -> {
            Slot slot = new Slot();
            return Mono.<Boolean>create(sink -> enter(sink, slot))
                    .flatMapMany(admitted -> read.doOnNext(item -> arrived(slot, bytes.applyAsLong(item))))
                    .doFinally(signal -> leave(slot));
        });
    }

    /** Reads allowed at once now. */
    public synchronized int allowed() {
        return level;
    }

    private synchronized void enter(MonoSink<Boolean> sink, Slot slot) {
        if (active < level) {
            take(slot);
            if (!settled && !epochRunning && !epochDue && active == level) {
                epochDue = true;
            }
            sink.success(true);
            return;
        }
        Waiter waiter = new Waiter(sink, slot);
        waiting.add(waiter);
        sink.onCancel(() -> {
            synchronized (this) {
                waiting.remove(waiter);
            }
        });
    }

    private void arrived(Slot slot, long bytes) {
        epochBytes.addAndGet(bytes);
        if (settled && slot.delivered) {
            return;
        }
        List<MonoSink<Boolean>> admitted;
        synchronized (this) {
            if (!slot.delivered) {
                slot.delivered = true;
                silent--;
                startEpochWhenAllDeliver();
            }
            if (!epochRunning || settled || clock.getAsLong() - epochStart < EPOCH_NANOS) {
                return;
            }
            admitted = judge();
        }
        // Outside the lock: success subscribes the admitted read.
        admitted.forEach(sink -> sink.success(true));
    }

    private void leave(Slot slot) {
        List<MonoSink<Boolean>> admitted;
        synchronized (this) {
            if (!slot.admitted) {
                // Cancelled while waiting: it never held a connection.
                return;
            }
            active--;
            if (!slot.delivered) {
                silent--;
            }
            if (epochRunning && ++epochCompletions >= level) {
                admitted = judge();
            } else {
                admitted = admitWaiting();
                startEpochWhenAllDeliver();
            }
        }
        admitted.forEach(sink -> sink.success(true));
    }

    private void take(Slot slot) {
        slot.admitted = true;
        active++;
        silent++;
    }

    /** Takes waiting reads into free slots; the caller completes them once it left the lock. */
    private List<MonoSink<Boolean>> admitWaiting() {
        List<MonoSink<Boolean>> admitted = new ArrayList<>();
        while (active < level && !waiting.isEmpty()) {
            Waiter waiter = waiting.poll();
            take(waiter.slot());
            admitted.add(waiter.sink());
        }
        return admitted;
    }

    private void startEpochWhenAllDeliver() {
        if (epochDue && silent == 0) {
            epochDue = false;
            epochRunning = true;
            epochStart = clock.getAsLong();
            epochBytes.set(0);
            epochCompletions = 0;
        }
    }

    /**
     * The end of an epoch: twice the connections if this count moved clearly more bytes than the one before, and the
     * next epoch once the reads of the new count all deliver. Returns the reads admitted meanwhile.
     */
    private List<MonoSink<Boolean>> judge() {
        double rate = epochBytes.getAndSet(0) * 1e9 / Math.max(1, clock.getAsLong() - epochStart);
        epochRunning = false;
        if (!settled) {
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
                epochDue = true;
            }
        }
        List<MonoSink<Boolean>> admitted = admitWaiting();
        startEpochWhenAllDeliver();
        return admitted;
    }
}
