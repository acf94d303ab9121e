package dev.reelflux.decoders.internal;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Cancellation and deadline of one decode, and the way other threads wake its decode thread.
 *
 * <p>The decode thread is the only one that waits (for demand, for source bytes, for source info); every other thread
 * changes some state and then calls {@link #wake()}. Waiters re-check their condition after each wake-up, so a wake
 * that arrives before the wait is never lost: the condition is already true then.
 */
final class StopSignal {

    private final long deadlineNanos;
    private final boolean hasDeadline;
    private volatile boolean cancelled;
    private volatile Thread waiter;

    StopSignal(Duration deadline) {
        this.hasDeadline = deadline != null;
        this.deadlineNanos = hasDeadline ? System.nanoTime() + deadline.toNanos() : 0;
    }

    /** Makes {@code thread} the one {@link #wake()} wakes: the decode thread, before it first waits. */
    void bind(Thread thread) {
        this.waiter = thread;
    }

    void cancel() {
        cancelled = true;
        wake();
    }

    void wake() {
        Thread thread = waiter;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    boolean cancelled() {
        return cancelled;
    }

    boolean deadlinePassed() {
        return hasDeadline && System.nanoTime() - deadlineNanos >= 0;
    }

    /** Whether FFmpeg should give up: cancelled or past the deadline. Cheap enough for FFmpeg's interrupt checks. */
    boolean stopped() {
        return cancelled || deadlinePassed();
    }

    /** Throws {@link Stopped} when {@link #stopped()}. */
    void check() {
        if (stopped()) {
            throw Stopped.INSTANCE;
        }
    }

    /** Waits until woken (or the deadline), then {@link #check()}s; callers loop on their own condition. */
    void await() {
        check();
        if (hasDeadline) {
            LockSupport.parkNanos(this, deadlineNanos - System.nanoTime());
        } else {
            LockSupport.park(this);
        }
        check();
    }
}
