package dev.reelflux.decoders;

import dev.reelflux.core.PipelineRecorder;

import java.util.function.Consumer;

/**
 * Observes one decode: accounting and timing for reports, not control. Every method has an empty default.
 *
 * <p>Methods are called on the decode thread of the subscription being observed, so they must be quick; a listener
 * shared by several subscriptions sees them from several threads at once and must be thread-safe. An exception thrown
 * by a listener is logged and otherwise ignored.
 */
public interface DecodeListener {

    /** A listener that ignores everything. */
    DecodeListener NONE = new DecodeListener() {
    };

    /** A listener that counts decoded frames and records emitted ones into {@code recorder}, for its report. */
    static DecodeListener recordingTo(PipelineRecorder recorder) {
        return new DecodeListener() {
            @Override
            public void frameDecoded(long index, boolean selected) {
                recorder.frameDecoded();
            }

            @Override
            public void frameEmitted(long index) {
                recorder.frameEmitted(index);
            }
        };
    }

    /** A listener that hands the stream's parameters to {@code consumer} once it is open, and ignores the rest. */
    static DecodeListener onOpened(Consumer<StreamInfo> consumer) {
        return new DecodeListener() {
            @Override
            public void opened(StreamInfo stream, long openNanos) {
                consumer.accept(stream);
            }
        };
    }

    /**
     * The stream is open and its parameters known; no frame was emitted yet.
     *
     * @param stream what the container and decoder say about the stream
     * @param openNanos time from subscription to now
     */
    default void opened(StreamInfo stream, long openNanos) {
    }

    /** The decoder output the frame {@code index}; {@code selected} tells whether it will be emitted. */
    default void frameDecoded(long index, boolean selected) {
    }

    /** Frame {@code index} was handed downstream. */
    default void frameEmitted(long index) {
    }

    /** A packet was skipped because it was corrupt; decoding goes on. */
    default void corruptPacket(String reason) {
    }

    /**
     * The read position moved from {@code from} to {@code to} because FFmpeg seeked (forward seeks with no read in
     * between are reported once, as one move).
     *
     * @param rangeRead true when a new read from the source was started at {@code to}; false when the bytes were
     *                  skipped (or found again) among those already arriving
     */
    default void seek(long from, long to, boolean rangeRead) {
    }

    /** Decoding ended and every native resource was freed. Called exactly once per subscription. */
    default void closed(DecodeStats stats) {
    }

    /** A listener calling {@code this} and then {@code other}. */
    default DecodeListener andThen(DecodeListener other) {
        DecodeListener first = this;
        return new DecodeListener() {
            @Override
            public void opened(StreamInfo stream, long openNanos) {
                first.opened(stream, openNanos);
                other.opened(stream, openNanos);
            }

            @Override
            public void frameDecoded(long index, boolean selected) {
                first.frameDecoded(index, selected);
                other.frameDecoded(index, selected);
            }

            @Override
            public void frameEmitted(long index) {
                first.frameEmitted(index);
                other.frameEmitted(index);
            }

            @Override
            public void corruptPacket(String reason) {
                first.corruptPacket(reason);
                other.corruptPacket(reason);
            }

            @Override
            public void seek(long from, long to, boolean rangeRead) {
                first.seek(from, to, rangeRead);
                other.seek(from, to, rangeRead);
            }

            @Override
            public void closed(DecodeStats stats) {
                first.closed(stats);
                other.closed(stats);
            }
        };
    }
}
