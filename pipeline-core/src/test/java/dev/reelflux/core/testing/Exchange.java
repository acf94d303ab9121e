package dev.reelflux.core.testing;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The live record of one request while the server answers it; {@link #snapshot()} freezes it into a
 * {@link RequestLog}.
 */
final class Exchange {

    private final String method;
    private final String path;
    private final String range;
    private final String protocol;
    private final long connectionId;
    private final AtomicLong bytesSent = new AtomicLong();
    private volatile int status;

    Exchange(String method, String path, String range, String protocol, long connectionId) {
        this.method = method;
        this.path = path;
        this.range = range;
        this.protocol = protocol;
        this.connectionId = connectionId;
    }

    void status(int code) {
        status = code;
    }

    void sent(long bytes) {
        bytesSent.addAndGet(bytes);
    }

    RequestLog snapshot() {
        return new RequestLog(method, path, range, status, bytesSent.get(), protocol, connectionId);
    }
}
