package dev.reelflux.core;

import java.net.URI;

/**
 * Accounting hooks of a byte source, called from I/O threads: implementations must be thread-safe and quick.
 * {@link TransferStats} is a ready implementation that adds everything up.
 */
public interface TransferListener {

    /** A listener that ignores everything. */
    TransferListener NONE = new TransferListener() { };

    /** A request is about to be sent. */
    default void requestStarted(URI uri, long offset, long length, int attempt) {
    }

    /** A request ended (completed, cancelled or failed). */
    default void requestFinished(RequestRecord record) {
    }

    /** Body bytes were handed downstream. */
    default void bytesReceived(int bytes) {
    }

    /** A transfer broke and will resume at {@code resumeOffset} with a new request. */
    default void retrying(URI uri, long resumeOffset, int attempt, Throwable cause) {
    }

    /** An HLS stream read from the master playlist at {@code master} follows {@code variant}. */
    default void variantChosen(URI master, HlsSource.Variant variant) {
    }

    /** A live HLS stream read from {@code playlist} went on without {@code segments} segments (gone or missing). */
    default void segmentsSkipped(URI playlist, long segments) {
    }

    /** A listener calling {@code this} and then {@code other}. */
    default TransferListener andThen(TransferListener other) {
        TransferListener first = this;
        return new TransferListener() {
            @Override
            public void requestStarted(URI uri, long offset, long length, int attempt) {
                first.requestStarted(uri, offset, length, attempt);
                other.requestStarted(uri, offset, length, attempt);
            }

            @Override
            public void requestFinished(RequestRecord record) {
                first.requestFinished(record);
                other.requestFinished(record);
            }

            @Override
            public void bytesReceived(int bytes) {
                first.bytesReceived(bytes);
                other.bytesReceived(bytes);
            }

            @Override
            public void retrying(URI uri, long resumeOffset, int attempt, Throwable cause) {
                first.retrying(uri, resumeOffset, attempt, cause);
                other.retrying(uri, resumeOffset, attempt, cause);
            }

            @Override
            public void variantChosen(URI master, HlsSource.Variant variant) {
                first.variantChosen(master, variant);
                other.variantChosen(master, variant);
            }

            @Override
            public void segmentsSkipped(URI playlist, long segments) {
                first.segmentsSkipped(playlist, segments);
                other.segmentsSkipped(playlist, segments);
            }
        };
    }
}
