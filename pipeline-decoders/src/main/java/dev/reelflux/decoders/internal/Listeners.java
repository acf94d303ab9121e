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

    static void frameDecoded(DecodeListener listener, long index, boolean selected) {
        call(() -> listener.frameDecoded(index, selected), "frameDecoded");
    }

    static void frameEmitted(DecodeListener listener, long index) {
        call(() -> listener.frameEmitted(index), "frameEmitted");
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
            LOG.warn("decode listener failed in {}", name, e);
        }
    }
}
