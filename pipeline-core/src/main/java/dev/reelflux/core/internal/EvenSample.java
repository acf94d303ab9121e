package dev.reelflux.core.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * At most {@code capacity} of the items offered, spread evenly over them, and the latest: when full, every other kept
 * item goes and from then on only every other one offered is kept. So a timeline of a live stream that runs for hours
 * takes the memory of one of a 30-second clip, and still spans the whole run. Not thread-safe.
 *
 * <p>Written here because what the JDK and Reactor offer keeps the first or the last items, or a random sample, not an
 * even one.
 */
public final class EvenSample<T> {

    private final int capacity;
    private final List<T> kept = new ArrayList<>();
    private long offered;
    private long stride = 1;
    private T latest;

    /** @param capacity the most items kept, even and at least 2 */
    public EvenSample(int capacity) {
        if (capacity < 2 || capacity % 2 != 0) {
            throw new IllegalArgumentException("capacity must be even and at least 2, got " + capacity);
        }
        this.capacity = capacity;
    }

    public void add(T item) {
        long n = offered++;
        latest = item;
        if (n % stride != 0) {
            return;
        }
        if (kept.size() == capacity) {
            for (int i = 0; i < capacity / 2; i++) {
                kept.set(i, kept.get(2 * i));
            }
            kept.subList(capacity / 2, capacity).clear();
            stride *= 2;
            if (n % stride != 0) {
                return;
            }
        }
        kept.add(item);
    }

    /** The items kept, in the order offered, ending with the latest one offered. */
    public List<T> snapshot() {
        List<T> items = new ArrayList<>(kept.size() + 1);
        items.addAll(kept);
        if ((offered - 1) % stride != 0) {
            items.add(latest);
        }
        return List.copyOf(items);
    }
}
