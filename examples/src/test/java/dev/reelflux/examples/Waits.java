package dev.reelflux.examples;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests for what another thread or process brings about. */
final class Waits {

    private Waits() {
    }

    /**
     * Returns once {@code condition} holds, checking every 50 ms.
     *
     * @throws AssertionError naming {@code what} when it does not within {@code wait}
     */
    static void until(BooleanSupplier condition, Duration wait, String what) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + wait + ": " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
