package dev.reelflux.inference.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands items from any number of submitters to one consumer thread, at most {@code depth} of them queued for it.
 *
 * <p>Submitters never block and are never refused for lack of room: beyond {@code depth}, items wait in arrival order
 * and move into the queue as the consumer takes from it. What bounds the waiting items is upstream: each stream has
 * only a few batches in flight, each holding one of its pool's slabs.
 */
public final class WorkQueue<T> {

    private final int depth;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<T> queued = new ArrayDeque<>();
    private final ArrayDeque<T> waiting = new ArrayDeque<>();
    private boolean closed;

    public WorkQueue(int depth) {
        if (depth <= 0) {
            throw new IllegalArgumentException("depth must be positive: " + depth);
        }
        this.depth = depth;
    }

    /** Adds {@code item} to the queue, or to the waiting line when the queue is full; {@code false} once closed. */
    public boolean offer(T item) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            if (queued.size() < depth) {
                queued.add(item);
                notEmpty.signal();
            } else {
                waiting.add(item);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Removes {@code item} wherever it waits; {@code false} when the consumer already took it. */
    public boolean remove(T item) {
        lock.lock();
        try {
            if (waiting.remove(item)) {
                return true;
            }
            if (queued.remove(item)) {
                promote();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The next item, waiting for one; {@code null} once the queue is closed. */
    public T take() throws InterruptedException {
        lock.lock();
        try {
            while (queued.isEmpty() && !closed) {
                notEmpty.await();
            }
            if (closed) {
                return null;
            }
            T item = queued.poll();
            promote();
            return item;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further items, wakes the consumer, and returns every item not taken (queued first). */
    public List<T> close() {
        lock.lock();
        try {
            closed = true;
            List<T> left = new ArrayList<>(queued);
            left.addAll(waiting);
            queued.clear();
            waiting.clear();
            notEmpty.signalAll();
            return left;
        } finally {
            lock.unlock();
        }
    }

    /** Items in the queue, at most {@code depth}. */
    public int queued() {
        lock.lock();
        try {
            return queued.size();
        } finally {
            lock.unlock();
        }
    }

    /** Items waiting for room in the queue. */
    public int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private void promote() {
        T next = waiting.poll();
        if (next != null) {
            queued.add(next);
            notEmpty.signal();
        }
    }
}
