package dev.reelflux.core;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TransferListener} that adds up what a source fetched: bytes, requests, retries, and every request's
 * {@link RequestRecord}. Thread-safe; read it any time, the numbers are live.
 */
public final class TransferStats implements TransferListener {

    private final long createdNanos = System.nanoTime();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong firstByteAt = new AtomicLong(-1);
    private final AtomicLong lastByteAt = new AtomicLong(-1);
    private final List<RequestRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void requestStarted(URI uri, long offset, long length, int attempt) {
        requests.incrementAndGet();
    }

    @Override
    public void requestFinished(RequestRecord record) {
        records.add(record);
    }

    @Override
    public void bytesReceived(int n) {
        long now = System.nanoTime() - createdNanos;
        firstByteAt.compareAndSet(-1, now);
        lastByteAt.set(now);
        bytes.addAndGet(n);
    }

    @Override
    public void retrying(URI uri, long resumeOffset, int attempt, Throwable cause) {
        retries.incrementAndGet();
    }

    /** Body bytes delivered downstream, over all requests. */
    public long bytes() {
        return bytes.get();
    }

    /** Requests started, resumes and range reads included. */
    public long requests() {
        return requests.get();
    }

    /** Resumes after a broken transfer. */
    public long retries() {
        return retries.get();
    }

    /** Nanoseconds from this object's creation to the first body byte, or -1. */
    public long firstByteNanos() {
        return firstByteAt.get();
    }

    /** Nanoseconds from this object's creation to the latest body byte, or -1. */
    public long lastByteNanos() {
        return lastByteAt.get();
    }

    /** Every finished request, in the order they ended. */
    public List<RequestRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public String toString() {
        return "TransferStats[bytes=" + bytes + ", requests=" + requests + ", retries=" + retries + "]";
    }
}
