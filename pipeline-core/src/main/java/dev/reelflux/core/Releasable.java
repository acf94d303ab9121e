package dev.reelflux.core;

/**
 * Something that owns memory (usually native) and gives it back on {@link #close()}.
 *
 * <p>Ownership moves with {@code onNext}: whoever receives a {@code Releasable} either passes it on or closes it.
 * {@code close()} is idempotent, so a discard hook and a {@code finally} may both call it.
 */
public interface Releasable extends AutoCloseable {

    /** Gives the memory back. Calling it again does nothing. */
    @Override
    void close();

    /** Closes {@code item} if it is a {@code Releasable}; a handy {@code doOnDiscard(Object.class, ...)} hook. */
    static void closeIfReleasable(Object item) {
        if (item instanceof Releasable releasable) {
            releasable.close();
        }
    }
}
