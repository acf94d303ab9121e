package dev.reelflux.decoders.internal;

/**
 * Unwinds the decode thread once its subscription was cancelled or its deadline passed. Never reaches a subscriber:
 * the decode task turns it into nothing (cancel) or a timeout error (deadline).
 */
final class Stopped extends RuntimeException {

    static final Stopped INSTANCE = new Stopped();

    private Stopped() {
        super("decode stopped", null, false, false);
    }
}
