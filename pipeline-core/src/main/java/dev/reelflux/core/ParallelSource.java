package dev.reelflux.core;

import dev.reelflux.core.internal.ConnectionGovernor;
import dev.reelflux.core.internal.Segments;
import dev.reelflux.core.internal.Unclaimed;
import dev.reelflux.core.internal.Values;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link ByteSource} that reads one range over several connections at once, beating a link that limits each
 * connection: consecutive segments are fetched by ranged requests in parallel and their chunks emitted in order.
 * Immutable; {@code opt*} methods return a modified copy.
 *
 * <p>The first segment is small, so the first bytes come as fast as from one request; its response tells the size
 * and whether the server serves ranges, and the rest is then planned as segments of at most {@link #optSegmentSize}
 * bytes, {@link #optConnections} of them in flight at a time (or as many as pay, {@link #optAdaptiveConnections}).
 * The segments start small and grow, and shrink again at the end, so that they end one after the other: the bytes
 * then arrive in order at the rate of all connections together, from early on, and every connection works to the
 * end (adaptive reads size this for their most connections). A segment that breaks is resumed or retried alone,
 * as the wrapped source resumes any read. A server that ignores {@code Range} gets one plain read for the rest (the
 * server sends from byte 0 again and the source drops what the first segment delivered), as does a source of
 * unknown size.
 *
 * <ul>
 *   <li><b>Emits</b> the chunks of {@code [offset, offset + length)} in order, each the subscriber's to close.</li>
 *   <li><b>Backpressures</b> within a window: segments in flight read ahead of demand up to {@link #optWindow} chunks
 *       each, so memory stays bounded whatever the file size; beyond that, downstream demand paces the reads.</li>
 *   <li><b>Completes</b> after the last segment's last chunk; <b>errors</b> with the first segment error that its
 *       retries did not cure, after the chunks before that segment.</li>
 *   <li><b>Cancels</b> every segment in flight and closes the chunks it held for later.</li>
 * </ul>
 * A seek (an MP4 with its index at the end) is a new read, planned anew from its offset.
 */
public final class ParallelSource implements ByteSource {

    /** Chunks each segment in flight may hold ahead of demand by default: at most 2 MiB, a chunk being one read. */
    private static final int DEFAULT_WINDOW = 32;
    /** Reads open at once per connection: those in flight, and ended ones waiting for the reads before them. */
    static final int READS_AHEAD = 2;
    /** Below this a segment's request round trip costs more than its bytes gain. */
    static final long MIN_SEGMENT = 64 << 10;

    private final Settings settings;

    private ParallelSource(Settings settings) {
        this.settings = settings;
    }

    /** {@code source} read over 4 connections, in segments of at most 1 MiB after a first one of 128 KiB. */
    public static ParallelSource of(ByteSource source) {
        Settings settings = new Settings();
        settings.source = Objects.requireNonNull(source, "source");
        return new ParallelSource(settings);
    }

    /** Segments in flight at once (1: plain sequential reads). */
    public ParallelSource optConnections(int connections) {
        int most = positive(connections);
        return with(s -> {
            s.connections = most;
            s.adaptive = false;
        });
    }

    /**
     * Segments in flight at once found out per read: four at first, doubled while that raises the aggregate
     * throughput by a fifth or more, at most {@code max}. For links whose per-connection limit is unknown.
     */
    public ParallelSource optAdaptiveConnections(int max) {
        int most = positive(max);
        return with(s -> {
            s.connections = most;
            s.adaptive = true;
        });
    }

    /**
     * Most bytes per segment after the first (default 1 MiB). A read's own segments are at least 64 KiB (unless the
     * whole rest is shorter), and a rest too short to ramp is split evenly over the connections; a span of
     * {@link #read(List)} longer than this is split into equal segments. Larger segments pay fewer request round
     * trips.
     */
    public ParallelSource optSegmentSize(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("segment size must be positive: " + bytes);
        }
        return with(s -> s.segmentSize = bytes);
    }

    /** Bytes of the first segment, which alone decides how soon the first bytes arrive. */
    public ParallelSource optFirstSegmentSize(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("first segment size must be positive: " + bytes);
        }
        return with(s -> s.firstSegmentSize = bytes);
    }

    /**
     * Chunks each segment in flight may hold ahead of demand (default 32; a chunk is what one socket read brought, at
     * most 64 KiB, and a few KB on a slow link, where the socket's own buffer holds what comes after): the
     * window that lets the connections run ahead of a consumer that is momentarily slow. What a stalled consumer
     * leaves held is at most about {@value #READS_AHEAD} x connections x window chunks (connections x window for
     * adaptive connections), whatever the file size.
     */
    public ParallelSource optWindow(int chunks) {
        if (chunks < 1) {
            throw new IllegalArgumentException("window must be at least one chunk: " + chunks);
        }
        return with(s -> s.window = chunks);
    }

    /** Where adaptive connections read the time (virtual time in tests). */
    public ParallelSource optTimer(Scheduler timer) {
        Objects.requireNonNull(timer, "timer");
        return with(s -> s.timer = timer);
    }

    /** Segments in flight at once, or at most when {@link #adaptive()}. */
    public int connections() {
        return settings.connections;
    }

    public boolean adaptive() {
        return settings.adaptive;
    }

    @Override
    public Flux<Chunk> read(long offset, long length) {
        if (offset < 0 || (length < 0 && length != TO_END)) {
            return Flux.error(new IllegalArgumentException("offset " + offset + ", length " + length));
        }
        if (settings.connections == 1) {
            return settings.source.read(offset, length);
        }
        return Flux.defer(() -> ordered(reads(settings.source, offset, length, new Cut() {
            @Override
            public long first() {
                return settings.firstSegmentSize;
            }

            @Override
            public List<ByteSpan> rest(long from, long end) {
                return Segments.staggered(from, end, settings.connections, settings.segmentSize, MIN_SEGMENT);
            }
        })));
    }

    /**
     * The chunks of each span, span after span, with {@link #optConnections} spans read at once: the bytes a
     * reader will need from a file it does not read whole, such as the key frames of an MP4, whose index tells where
     * they are, or the first frames of each GOP. Spans must be sorted and must not overlap; each is one ranged read
     * (resumed alone when it breaks), or several of {@link #optSegmentSize} when longer, so that a long span is read
     * over the connections too. Emits, backpressures, completes, errors and cancels as {@link #read} does.
     */
    public Flux<Chunk> read(List<ByteSpan> spans) {
        List<ByteSpan> copy = List.copyOf(spans);
        return Flux.defer(() -> ordered(Flux.fromIterable(copy)
                .concatMapIterable(span -> Segments.even(span.offset(), span.end(), settings.segmentSize))
                .map(segment -> settings.source.read(segment.offset(), segment.length()))));
    }

    /** How {@link #reads} cuts a range into reads. */
    interface Cut {
        /** Bytes of the first read, made before the size is known. */
        long first();

        /** The reads of {@code [from, end)}, in order, once the size is known and ranges are served. */
        List<ByteSpan> rest(long from, long end);

        /** Heard when a first read's response shows the server ignores ranges: the rest is then one read. */
        default void rangesRefused() {
        }
    }

    /**
     * The reads of {@code source} that cover {@code [offset, offset + length)} in order: a first one, then, once its
     * response tells the size, the rest as {@code cut} cuts it (one read where the size is unknown or ranges are not
     * served). For {@link #ordered} to run, possibly after the reads of other sources.
     */
    static Flux<Flux<Chunk>> reads(ByteSource source, long offset, long length, Cut cut) {
        long end = length == TO_END ? Long.MAX_VALUE : offset + length;
        long first = cut.first();
        if (first >= end - offset) {
            return Flux.just(source.read(offset, length));
        }
        long firstEnd = offset + first;
        // info() is asked once the first read is subscribed, and waits for its response: asked before, while the
        // first read waits for a connection, info() would probe the size with a request of its own.
        Sinks.Empty<Void> started = Sinks.empty();
        Flux<Chunk> firstRead = source.read(offset, first).doOnSubscribe(subscription -> started.tryEmitEmpty());
        return Flux.concat(Mono.just(firstRead), started.asMono().then(source.info())
                .flatMapMany(info -> rest(source, info, firstEnd, end, cut)));
    }

    /**
     * The chunks of {@code reads}, in order, {@link #connections} of them (at most) read at once. With a fixed count,
     * up to {@value #READS_AHEAD} times as many are open: a read that has ended waits in flatMapSequential until the
     * reads before it drain, and if it held its place among the ones read at once, a connection would sit idle behind
     * every short read that ended before a long one started earlier (an HLS stream's last parts, cut small, behind its
     * whole segments: the bench's stream downloaded in 2.6 s, and in 3.0 s with one place per connection). Adaptive
     * reads keep one place per connection: with reads open ahead, the governor saw a burst of bytes that had waited
     * for demand as a doubled rate, and doubled the connections on a link that one already filled.
     */
    Flux<Chunk> ordered(Flux<Flux<Chunk>> reads) {
        ConnectionGovernor governor = settings.adaptive
                ? new ConnectionGovernor(settings.connections, () -> settings.timer.now(TimeUnit.NANOSECONDS))
                : ConnectionGovernor.fixed(settings.connections);
        int open = settings.adaptive ? settings.connections : READS_AHEAD * settings.connections;
        // flatMapSequential does not discard what its inner queues hold when cancelled or failed: each chunk is held
        // from its arrival until handed downstream, and what is left at the end is closed.
        Unclaimed<Chunk> readAhead = new Unclaimed<>();
        return reads.map(read -> governor.admit(read, Chunk::remaining)
                        .filter(readAhead::hold)
                        // Unfused, so that a chunk is held from when it arrives: fused, flatMapSequential would take
                        // it (and this would see it) only when it drains, and a cancel in between would lose it.
                        .hide())
                .flatMapSequential(Function.identity(), open, settings.window)
                .filter(readAhead::claim)
                .doFinally(signal -> readAhead.releaseAll());
    }

    private static int positive(int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be >= 1: " + connections);
        }
        return connections;
    }

    /** The reads after the first one, {@code [from, end)}. */
    private static Flux<Flux<Chunk>> rest(ByteSource source, SourceInfo info, long from, long end, Cut cut) {
        if (info.size() < 0) {
            return Flux.just(source.read(from, end == Long.MAX_VALUE ? TO_END : end - from));
        }
        long last = Math.min(end, info.size());
        if (from >= last) {
            return Flux.empty();
        }
        if (!info.rangesSupported()) {
            // The server sends everything from byte 0; the source skips what comes before from.
            cut.rangesRefused();
            return Flux.just(source.read(from, last - from));
        }
        return Flux.fromIterable(cut.rest(from, last)).map(segment -> source.read(segment.offset(), segment.length()));
    }

    @Override
    public Mono<SourceInfo> info() {
        return settings.source.info();
    }

    @Override
    public URI uri() {
        return settings.source.uri();
    }

    @Override
    public String toString() {
        Settings v = settings;
        return "ParallelSource[" + v.source.uri() + ", " + (v.adaptive ? "up to " : "") + v.connections
                + " connections, segments of " + v.segmentSize + " bytes after " + v.firstSegmentSize + ", window of "
                + v.window + " chunks]";
    }

    private ParallelSource with(Consumer<Settings> change) {
        return new ParallelSource(settings.with(change));
    }

    private static final class Settings extends Values<Settings> {
        private ByteSource source;
        private int connections = 4;
        private boolean adaptive;
        private long segmentSize = 1 << 20;
        private long firstSegmentSize = 128 << 10;
        private int window = DEFAULT_WINDOW;
        private Scheduler timer = Schedulers.parallel();
    }
}
