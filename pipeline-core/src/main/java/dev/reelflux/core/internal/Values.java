package dev.reelflux.core.internal;

import java.util.function.Consumer;

/**
 * The values behind an immutable spec, the one idiom of reelflux's specs ({@code HttpSettings}, {@code VideoDecoder},
 * {@code ModelSpec}, ...): the spec keeps a private subclass holding its fields in a final field, and each
 * {@code opt*} returns a new spec around a changed copy ({@link #with}), as Reactor Netty's clients copy their
 * configuration. A copy is written only while it is made, then published through the new spec's final field, so the
 * spec is immutable and safe to share. Copies are shallow: what the fields refer to is shared.
 *
 * @param <S> the subclass
 */
public abstract class Values<S extends Values<S>> implements Cloneable {

    /** A copy of these values with {@code change} applied. */
    public final S with(Consumer<S> change) {
        S copy = copy();
        change.accept(copy);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private S copy() {
        try {
            return (S) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
