package dev.reelflux.decoders.internal;

import dev.reelflux.core.ByteSource;
import dev.reelflux.decoders.DecodeStats;
import dev.reelflux.decoders.DecodeTimeoutException;
import dev.reelflux.decoders.StreamInfo;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.VideoFrame;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.util.context.Context;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One subscription to {@link VideoDecoder#decode}: a dedicated decode thread that runs a {@link DecoderSession}, emits
 * frames only while downstream has requested some, closes the session, and only then signals completion or the error.
 *
 * <p>A dedicated thread, rather than a shared scheduler's worker: the thread blocks in FFmpeg and on the source for
 * the whole decode, and ending it with the session leaves nothing behind once a stream is done.
 */
public final class DecodeTask implements DecoderSession.Downstream {

    private static final AtomicLong THREAD_NUMBER = new AtomicLong();

    private final VideoDecoder spec;
    private final ByteSource source;
    private final FluxSink<VideoFrame> sink;
    private final StopSignal signal;
    private final Counters counters = new Counters();

    private DecodeTask(VideoDecoder spec, ByteSource source, FluxSink<VideoFrame> sink) {
        this.spec = spec;
        this.source = source;
        this.sink = sink;
        this.signal = new StopSignal(spec.deadline());
    }

    /** The frames of {@code source} as {@code spec} says; see {@link VideoDecoder} for the contract. */
    public static Flux<VideoFrame> frames(VideoDecoder spec, ByteSource source) {
        return Flux.<VideoFrame>create(sink -> new DecodeTask(spec, source, sink).start())
                // A frame Reactor drops because downstream cancelled while it was being emitted is still ours.
                .doOnDiscard(VideoFrame.class, VideoFrame::close);
    }

    private void start() {
        Thread thread = new Thread(this::run, "reelflux-decode-" + THREAD_NUMBER.incrementAndGet());
        thread.setDaemon(true);
        signal.bind(thread);
        sink.onRequest(n -> signal.wake());
        sink.onCancel(signal::cancel);
        thread.start();
    }

    private void run() {
        Throwable error = null;
        DecoderSession session = new DecoderSession(spec, source, signal, counters, Context.of(sink.contextView()));
        try {
            StreamInfo info = session.open();
            counters.openNanos = counters.sinceStart();
            Listeners.opened(spec.listener(), info, counters.openNanos);
            session.run(this);
        } catch (Stopped e) {
            if (!signal.cancelled()) {
                error = new DecodeTimeoutException("decode", "the deadline of " + spec.deadline() + " passed after "
                        + counters.framesEmitted + " frames", 0, null, null);
            }
        } catch (Throwable t) {
            error = Exceptions.unwrap(t);
        } finally {
            session.close();
        }
        DecodeStats.Outcome outcome = signal.cancelled() ? DecodeStats.Outcome.CANCELLED
                : error != null ? DecodeStats.Outcome.FAILED : DecodeStats.Outcome.COMPLETED;
        Listeners.closed(spec.listener(), counters.snapshot(outcome));
        if (outcome == DecodeStats.Outcome.FAILED) {
            sink.error(error);
        } else if (outcome == DecodeStats.Outcome.COMPLETED) {
            sink.complete();
        }
    }

    @Override
    public void awaitDemand() {
        while (sink.requestedFromDownstream() == 0) {
            signal.await();
        }
        signal.check();
    }

    @Override
    public void emit(VideoFrame frame) {
        sink.next(frame);
    }
}
