package dev.reelflux.core;

import dev.reelflux.core.internal.EvenSample;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records what every stage of one pipeline run did, on one clock started when the recorder is made: bytes (it is a
 * {@link TransferListener}), frames, model calls and results. Stages call it from their own threads; it is
 * thread-safe. {@link #report} and {@link #timeline} read it at the end (or at any time).
 *
 * <p>The timeline keeps at most {@value #MAX_POINTS} points per kind, spread evenly over the run, and the latest: a
 * run of any length, a live stream's included, records in the same memory. The counters count everything.
 */
public final class PipelineRecorder implements TransferListener {

    static final int MAX_POINTS = 4096;

    private final long startNanos = System.nanoTime();
    private final AtomicLong connectNanos = new AtomicLong(-1);
    private final AtomicLong firstByte = new AtomicLong(-1);
    private final AtomicLong lastByte = new AtomicLong(-1);
    private final AtomicLong firstFrame = new AtomicLong(-1);
    private final AtomicLong lastFrame = new AtomicLong(-1);
    private final AtomicLong firstResult = new AtomicLong(-1);
    private final AtomicLong lastResult = new AtomicLong(-1);
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong size = new AtomicLong(-1);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rangeRequests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong connectionsOpened = new AtomicLong();
    private final Set<Long> connectionsUsed = ConcurrentHashMap.newKeySet();
    private final AtomicLong framesDecoded = new AtomicLong();
    private final AtomicLong framesEmitted = new AtomicLong();
    private final AtomicLong framesInferred = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong inferenceNanos = new AtomicLong();
    private final AtomicLong results = new AtomicLong();
    private final AtomicReference<HlsSource.Variant> variant = new AtomicReference<>();
    private final AtomicLong segmentsSkipped = new AtomicLong();
    private final EvenSample<Timeline.Point> bytePoints = new EvenSample<>(MAX_POINTS);
    private final EvenSample<Timeline.Point> framePoints = new EvenSample<>(MAX_POINTS);
    private final EvenSample<Timeline.Span> batchSpans = new EvenSample<>(MAX_POINTS);
    private final EvenSample<Timeline.Point> resultPoints = new EvenSample<>(MAX_POINTS);

    /** A recorder whose clock starts now. */
    public static PipelineRecorder start() {
        return new PipelineRecorder();
    }

    /** Nanoseconds since the recorder started. */
    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    @Override
    public void requestStarted(URI uri, long offset, long length, int attempt) {
        requests.incrementAndGet();
        if (offset > 0) {
            rangeRequests.incrementAndGet();
        }
    }

    @Override
    public void requestFinished(RequestRecord record) {
        if (record.connectionId() >= 0) {
            connectionsUsed.add(record.connectionId());
        }
        if (record.connectNanos() > 0) {
            connectionsOpened.incrementAndGet();
            connectNanos.compareAndSet(-1, record.connectNanos());
        } else if (record.status() > 0) {
            connectNanos.compareAndSet(-1, 0);
        }
    }

    @Override
    public void bytesReceived(int n) {
        long now = elapsedNanos();
        firstByte.compareAndSet(-1, now);
        lastByte.set(now);
        long total = bytes.addAndGet(n);
        add(bytePoints, new Timeline.Point(ms(now), total));
    }

    @Override
    public void retrying(URI uri, long resumeOffset, int attempt, Throwable cause) {
        retries.incrementAndGet();
    }

    @Override
    public void variantChosen(URI master, HlsSource.Variant chosen) {
        variant.set(chosen);
    }

    @Override
    public void segmentsSkipped(URI playlist, long segments) {
        segmentsSkipped.addAndGet(segments);
    }

    /** The source's size, once known. */
    public void sourceSize(long bytes) {
        size.set(bytes);
    }

    /**
     * Records {@code source}'s size when it knows it. Ask after the read: an HTTP source knows it from the response
     * by then, where asking before costs a request. Completes empty, failing or not.
     */
    public Mono<Void> recordSize(ByteSource source) {
        return source.info()
                .doOnNext(info -> {
                    if (info.size() >= 0) {
                        sourceSize(info.size());
                    }
                })
                .onErrorResume(e -> Mono.empty())
                .then();
    }

    /** The decoder output a frame (selected or not). */
    public void frameDecoded() {
        framesDecoded.incrementAndGet();
    }

    /** The decoder handed frame {@code index} downstream. */
    public void frameEmitted(long index) {
        long now = elapsedNanos();
        firstFrame.compareAndSet(-1, now);
        lastFrame.set(now);
        framesEmitted.incrementAndGet();
        add(framePoints, new Timeline.Point(ms(now), index));
    }

    /**
     * A model call over {@code frames} frames ran from {@code startNanos} to {@code endNanos}
     * ({@link System#nanoTime}).
     */
    public void batchInferred(int frames, long startNanos, long endNanos) {
        framesInferred.addAndGet(frames);
        batches.incrementAndGet();
        inferenceNanos.addAndGet(endNanos - startNanos);
        add(batchSpans, new Timeline.Span(ms(startNanos - this.startNanos), ms(endNanos - this.startNanos), frames));
    }

    /** The result for frame {@code index} was handed to the subscriber. */
    public void resultEmitted(long index) {
        long now = elapsedNanos();
        firstResult.compareAndSet(-1, now);
        lastResult.set(now);
        results.incrementAndGet();
        add(resultPoints, new Timeline.Point(ms(now), index));
    }

    /** A snapshot of the counters and milestones. */
    public PipelineReport report(boolean budgetHit, Throwable error) {
        return new PipelineReport(
                new PipelineReport.Times(msOrNone(connectNanos.get()), msOrNone(firstByte.get()),
                        msOrNone(lastByte.get()), msOrNone(firstFrame.get()), msOrNone(lastFrame.get()),
                        msOrNone(firstResult.get()), msOrNone(lastResult.get()), ms(elapsedNanos())),
                new PipelineReport.Transfer(bytes.get(), size.get(), requests.get(), rangeRequests.get(),
                        retries.get(), connectionsOpened.get(), connectionsUsed.size()),
                new PipelineReport.Work(framesDecoded.get(), framesEmitted.get(), framesInferred.get(), batches.get(),
                        ms(inferenceNanos.get()), results.get()),
                new PipelineReport.Hls(variant.get(), segmentsSkipped.get()), budgetHit, error);
    }

    /** A snapshot of the timeline. */
    public Timeline timeline() {
        synchronized (this) {
            return new Timeline(bytePoints.snapshot(), framePoints.snapshot(), batchSpans.snapshot(),
                    resultPoints.snapshot());
        }
    }

    private <T> void add(EvenSample<T> points, T point) {
        synchronized (this) {
            points.add(point);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double msOrNone(long nanos) {
        return nanos < 0 ? -1 : ms(nanos);
    }
}
