package dev.reelflux.core.testing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A fault installed on a path, with the count of requests it may still apply to.
 */
final class ArmedFault {

    private final Fault fault;
    private final AtomicInteger remaining;

    ArmedFault(Fault fault) {
        this.fault = fault;
        this.remaining = new AtomicInteger(fault.times());
    }

    /**
     * Uses up one application when {@code matches} accepts the fault and some are left.
     *
     * @return the fault to apply, or {@code null} to serve normally
     */
    Fault claim(Predicate<Fault> matches) {
        if (!matches.test(fault)) {
            return null;
        }
        if (fault.times() == Fault.EVERY_REQUEST) {
            return fault;
        }
        return remaining.getAndUpdate(n -> Math.max(n - 1, 0)) > 0 ? fault : null;
    }
}
