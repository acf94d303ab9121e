package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.DecodeStats;

import java.util.concurrent.atomic.AtomicLong;

/** The running counts behind {@link DecodeStats}. All but {@link #bytesFetched} change on the decode thread only. */
final class Counters {

    final long startNanos = System.nanoTime();
    /** Chunks arrive on the source's thread. */
    final AtomicLong bytesFetched = new AtomicLong();
    long framesDecoded;
    long framesSelected;
    long framesEmitted;
    long corruptPackets;
    long bytesRead;
    long seeks;
    long rangeReads;
    long openNanos = -1;
    long firstFrameNanos = -1;

    long sinceStart() {
        return System.nanoTime() - startNanos;
    }

    DecodeStats snapshot(DecodeStats.Outcome outcome) {
        return new DecodeStats(outcome, framesDecoded, framesSelected, framesEmitted, corruptPackets,
                bytesFetched.get(), bytesRead, seeks, rangeReads, openNanos, firstFrameNanos, sinceStart());
    }
}
