package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.DecodeListener;
import dev.reelflux.decoders.DecodeStats;
import dev.reelflux.decoders.StreamInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls a {@link DecodeListener} so that a failing listener is logged and cannot break a decode. */
final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private Listeners() {
    }

    static void opened(DecodeListener listener, StreamInfo stream, long openNanos) {
        call(() -> listener.opened(stream, openNanos), "opened");
    }

    // The two calls made for every frame catch for themselves: a lambda per call was garbage per frame.

    static void frameDecoded(DecodeListener listener, long index, boolean selected) {
        try {
            listener.frameDecoded(index, selected);
        } catch (RuntimeException e) {
            failed("frameDecoded", e);
        }
    }

    static void frameEmitted(DecodeListener listener, long index) {
        try {
            listener.frameEmitted(index);
        } catch (RuntimeException e) {
            failed("frameEmitted", e);
        }
    }

    static void corruptPacket(DecodeListener listener, String reason) {
        call(() -> listener.corruptPacket(reason), "corruptPacket");
    }

    static void seek(DecodeListener listener, long from, long to, boolean rangeRead) {
        call(() -> listener.seek(from, to, rangeRead), "seek");
    }

    static void closed(DecodeListener listener, DecodeStats stats) {
        call(() -> listener.closed(stats), "closed");
    }

    private static void call(Runnable event, String name) {
        try {
            event.run();
        } catch (RuntimeException e) {
            failed(name, e);
        }
    }

    private static void failed(String name, RuntimeException e) {
        LOG.warn("decode listener failed in {}", name, e);
    }
}
