package dev.reelflux.core;

import java.util.Locale;

/**
 * What one pipeline run did, from a {@link PipelineRecorder}, in small groups: when things happened, what was fetched,
 * what the decoder and the models did, and what an HLS stream did.
 *
 * @param times     milestones of the run
 * @param transfer  what was fetched and over which connections
 * @param work      frames decoded, emitted and inferred
 * @param hls       what an HLS stream did beyond its requests ({@link Hls#NONE} for anything else)
 * @param budgetHit whether a {@link TimeBudget} cut the run short
 * @param error     the typed error the run ended with, or {@code null}
 */
public record PipelineReport(Times times, Transfer transfer, Work work, Hls hls, boolean budgetHit, Throwable error) {

    /**
     * When things happened: milliseconds since the recorder started (the request arrived), or -1 when the event never
     * happened.
     *
     * @param connectMs     DNS + connect of the first request that opened a connection (0 when a pooled one was reused)
     * @param firstByteMs   first body byte received
     * @param lastByteMs    last body byte received
     * @param firstFrameMs  first decoded frame emitted
     * @param lastFrameMs   last decoded frame emitted
     * @param firstResultMs first result emitted
     * @param lastResultMs  last result emitted
     * @param totalMs       from start to the report
     */
    public record Times(double connectMs, double firstByteMs, double lastByteMs, double firstFrameMs,
                        double lastFrameMs, double firstResultMs, double lastResultMs, double totalMs) {
    }

    /**
     * What was fetched.
     *
     * @param bytesFetched      body bytes received over all requests
     * @param sizeBytes         size of the source, or -1 when unknown
     * @param requests          HTTP requests made (the first read, range reads, resumes)
     * @param rangeRequests     requests that started past byte 0 (seeks and resumes)
     * @param retries           resumes after a broken transfer
     * @param connectionsOpened requests that opened a new connection (the others reused a pooled one)
     * @param connectionsUsed   distinct TCP connections the requests went over (with parallel reads, how many at once
     *                          the clip used, at most)
     */
    public record Transfer(long bytesFetched, long sizeBytes, long requests, long rangeRequests, long retries,
                           long connectionsOpened, long connectionsUsed) {
    }

    /**
     * What the decoder and the models did.
     *
     * @param framesDecoded  frames the decoder output
     * @param framesEmitted  frames the decoder handed downstream
     * @param framesInferred frames that went through the model
     * @param batches        model calls
     * @param inferenceMs    time spent inside model calls, added up
     * @param resultsEmitted results handed to the subscriber
     */
    public record Work(long framesDecoded, long framesEmitted, long framesInferred, long batches, double inferenceMs,
                       long resultsEmitted) {
    }

    /**
     * What an HLS stream did beyond its requests.
     *
     * @param variant         the variant followed from a master playlist, or null (a media playlist, or no HLS)
     * @param segmentsSkipped segments of a live stream that were gone or missing, and so not read
     */
    public record Hls(HlsSource.Variant variant, long segmentsSkipped) {

        /** Nothing: no master playlist followed, no segment skipped. */
        public static final Hls NONE = new Hls(null, 0);
    }

    /** Frames emitted per second of decoding (first to last frame), or 0. */
    public double decodeFps() {
        double span = times.lastFrameMs() - times.firstFrameMs();
        return span > 0 ? (work.framesEmitted() - 1) * 1000.0 / span : 0;
    }

    /** Frames per second of model time, or 0. */
    public double inferenceFps() {
        return work.inferenceMs() > 0 ? work.framesInferred() * 1000.0 / work.inferenceMs() : 0;
    }

    /** What bounded a run's total time (see {@link #boundBy()}); {@code toString} is its name in lower case. */
    public enum Bound {
        /** Nothing ran. */
        NONE,
        /** The bytes: results followed the last byte closely. */
        NETWORK,
        /** The decoder. */
        DECODE,
        /** The models: busy most of the time after the first frame. */
        INFERENCE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The stage that bounded the total: {@link Bound#INFERENCE} when the model was busy most of the time after the
     * first frame, else {@link Bound#NETWORK} when results followed the last byte closely, else {@link Bound#DECODE}.
     * Inference is judged first because a busy model backpressures the download too, which then ends late as if the
     * link were slow.
     */
    public Bound boundBy() {
        double lastResultMs = times.lastResultMs();
        double lastFrameMs = times.lastFrameMs();
        double lastByteMs = times.lastByteMs();
        double inferenceMs = work.inferenceMs();
        double end = lastResultMs >= 0 ? lastResultMs : Math.max(lastFrameMs, lastByteMs);
        if (end <= 0) {
            return Bound.NONE;
        }
        double busySpan = end - Math.max(0, times.firstFrameMs());
        if (inferenceMs > 0 && busySpan > 0 && inferenceMs >= 0.7 * busySpan) {
            return Bound.INFERENCE;
        }
        double afterLastByte = end - Math.max(0, lastByteMs);
        if (lastByteMs >= 0 && afterLastByte <= 0.15 * end) {
            return Bound.NETWORK;
        }
        return Bound.DECODE;
    }
}
