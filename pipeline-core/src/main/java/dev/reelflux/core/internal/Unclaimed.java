package dev.reelflux.core.internal;

import dev.reelflux.core.Releasable;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Releasables handed to an operator that may drop them without a discard (Reactor 3.8.7's flatMapSequential does,
 * with its inner queues and with a publisher it mapped but never subscribed when a cancel comes in between), until
 * whoever takes ownership claims them. At the end, {@link #releaseAll} closes what nobody claimed; anything arriving
 * after that is closed at once. Each item is claimed or released exactly once, whichever thread comes first.
 */
public final class Unclaimed<T extends Releasable> {

    private final Set<T> items = ConcurrentHashMap.newKeySet();
    private volatile boolean ended;

    /** Holds {@code item} until claimed; false when the end has come, and then the item is already closed. */
    public boolean hold(T item) {
        items.add(item);
        if (ended && items.remove(item)) {
            item.close();
            return false;
        }
        return true;
    }

    /** Takes {@code item} out; false when {@link #releaseAll} got to it first (and closed it). */
    public boolean claim(T item) {
        return items.remove(item);
    }

    /** Closes every item not claimed, and every one held from now on. */
    public void releaseAll() {
        ended = true;
        for (T item : items) {
            if (items.remove(item)) {
                item.close();
            }
        }
    }
}
