package dev.reelflux.core;

import dev.reelflux.core.internal.HlsPlaylist;
import dev.reelflux.core.internal.HlsPlaylist.Key;
import dev.reelflux.core.internal.HlsPlaylist.Master;
import dev.reelflux.core.internal.HlsPlaylist.Media;
import dev.reelflux.core.internal.HlsPlaylist.Segment;
import dev.reelflux.core.internal.Values;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * An HLS stream, VOD or live, as one continuous run of bytes for the decoder: the media playlist's segments back to
 * back (MPEG-TS segments as they are; fragmented MP4 as the {@code EXT-X-MAP} init section, again wherever it
 * changes, followed by the media segments). An init section that replaces another starts a stream of its own
 * ({@link Chunk#startsStream}), which the decoder demuxes afresh. A master playlist is followed to the variant
 * {@link #optVariant} picks.
 *
 * <ul>
 *   <li>Segments are fetched ahead over several connections, {@link #optConnections} reads at once (default: the
 *       settings' connections, at least 3), and emitted in order. A VOD segment is cut into parts that grow from a
 *       small first one, so that the bytes arrive in order at the rate of all connections together from the start;
 *       an init section and a live segment are one read each. Every read is an {@link HttpSource} read, which
 *       resumes a broken transfer alone ({@link HttpSettings#optRetry}). Byte-range segments
 *       ({@code EXT-X-BYTERANGE}) are ranged reads.</li>
 *   <li>AES-128 segments ({@code EXT-X-KEY METHOD=AES-128}) are decrypted with the JDK's AES/CBC cipher as their
 *       bytes arrive, in parts as clear ones (each part on a 16-byte block, asking for the ciphertext block before it
 *       as its IV), the key fetched once per URI, the IV from the tag or the media sequence number. Bytes that do not
 *       decrypt fail with {@link PlaylistException} at their part's end. SAMPLE-AES and key systems (DRM) fail with
 *       {@link UnsupportedEncryptionException}, a {@link PlaylistException}.</li>
 *   <li>Emits chunks covering the concatenation in order; backpressures: the reads in flight hold at most
 *       {@link ParallelSource#optWindow}'s chunks each ahead of the subscriber; completes after the last segment;
 *       cancelling stops every segment read and closes the chunks held. The subscriber owns each chunk.</li>
 *   <li>A live playlist (no {@code EXT-X-ENDLIST}) is joined at its edge or start ({@link #optLiveStart}) and
 *       reloaded as it grows, until it ends or the read is cancelled (a time budget cancels it at the deadline). A
 *       live segment that is gone (404, 410) is skipped and counted ({@link #skippedSegments()}); in a VOD stream it
 *       is an error.</li>
 *   <li>Errors: {@link PlaylistException} for a playlist that cannot be followed, and the typed errors of
 *       {@link HttpSource} for the playlist, key and segment requests.</li>
 * </ul>
 * The size is unknown until the end and the stream has no ranges: {@link #info()} says so, and a read past byte 0
 * reads from the start and drops what lies before it. Immutable; every {@code opt*} returns a configured copy.
 */
public final class HlsSource implements ByteSource {

    static final String STAGE = "hls";
    private static final int MIN_CONNECTIONS = 3;
    /** The largest read of a segment part: its request round trip is small against its bytes on any link. */
    private static final long PART_SIZE = 1 << 20;
    /** The largest playlist read: a VOD playlist of hours of 2 s segments is a few hundred KB. */
    private static final int MAX_PLAYLIST_BYTES = 8 << 20;

    /** Which variant of a master playlist to read. */
    public enum VariantRule {
        /** The one of the highest bandwidth. */
        HIGHEST_BANDWIDTH,
        /** The one of the lowest bandwidth. */
        LOWEST_BANDWIDTH,
        /** The one of the most pixels, ties broken by bandwidth (up to {@link #optMaxHeight}). */
        HIGHEST_RESOLUTION
    }

    /** Where a live stream is joined. */
    public enum LiveStart {
        /** Three target durations from the end of the playlist, as RFC 8216 asks of players. */
        EDGE,
        /** The first segment the playlist still lists. */
        START
    }

    /** Segments before the end of a live playlist where {@link LiveStart#EDGE} joins. */
    private static final int EDGE_SEGMENTS = 3;
    /** The longest wait between reloads of a live playlist that stopped changing, in target durations. */
    private static final double MAX_BACKOFF = 3;

    private final Settings settings;
    private final AtomicLong skipped = new AtomicLong();

    private HlsSource(Settings settings) {
        this.settings = settings;
    }

    /** The stream whose playlist (master or media) is at {@code uri}, read with {@code settings}. */
    public static HlsSource create(URI uri, HttpSettings settings) {
        HttpSource.checkHttpUrl(uri);
        Settings values = new Settings();
        values.uri = uri;
        values.http = Objects.requireNonNull(settings, "settings");
        values.connections = Math.max(MIN_CONNECTIONS, settings.connections());
        return new HlsSource(values);
    }

    /**
     * A variant stream of a master playlist, as its {@code EXT-X-STREAM-INF} describes it.
     *
     * @param uri       its media playlist
     * @param bandwidth its peak bits per second
     * @param width     its width in pixels, 0 when not given
     * @param height    its height in pixels, 0 when not given
     */
    public record Variant(URI uri, long bandwidth, int width, int height) {
    }

    /** Which variant of a master playlist is read (default {@link VariantRule#HIGHEST_RESOLUTION}). */
    public HlsSource optVariant(VariantRule rule) {
        Objects.requireNonNull(rule, "rule");
        return with(s -> s.rule = rule);
    }

    /** Variants taller than this are left out, where any is not (default: no cap). */
    public HlsSource optMaxHeight(int maxHeight) {
        if (maxHeight <= 0) {
            throw new IllegalArgumentException("maxHeight must be positive: " + maxHeight);
        }
        return with(s -> s.maxHeight = maxHeight);
    }

    /** Where a live stream is joined (default {@link LiveStart#EDGE}); a VOD playlist is read from its start. */
    public HlsSource optLiveStart(LiveStart start) {
        Objects.requireNonNull(start, "start");
        return with(s -> s.liveStart = start);
    }

    /**
     * Reads in flight at once, each over its own connection: parts of the segments ahead of the one being read
     * (default: the settings' connections, at least 3).
     */
    public HlsSource optConnections(int connections) {
        if (connections <= 0) {
            throw new IllegalArgumentException("connections must be positive: " + connections);
        }
        return with(s -> s.connections = connections);
    }

    @Override
    public URI uri() {
        return settings.uri;
    }

    @Override
    public Mono<SourceInfo> info() {
        return Mono.just(new SourceInfo(UNKNOWN_SIZE, false, "application/vnd.apple.mpegurl"));
    }

    /**
     * Segments of a live stream that were not read: gone from the playlist before their turn, or missing when
     * fetched (a live stream skips them; a VOD stream fails instead). Counted over every read of this source; the
     * settings' listener hears of each ({@link TransferListener#segmentsSkipped}).
     */
    public long skippedSegments() {
        return skipped.get();
    }

    private void skip(long segments) {
        skipped.addAndGet(segments);
        settings.http.listener().segmentsSkipped(settings.uri, segments);
    }

    /** A media playlist and where it is, for reloads. */
    private record Located(URI at, Media media) {
    }

    private Mono<Located> mediaPlaylist() {
        return fetchPlaylist(settings.uri).flatMap(playlist -> {
            if (!(playlist instanceof Master master)) {
                return Mono.just(new Located(settings.uri, (Media) playlist));
            }
            Variant picked = pick(master);
            settings.http.listener().variantChosen(settings.uri, picked);
            URI variant = picked.uri();
            return fetchPlaylist(variant).flatMap(media -> media instanceof Media m
                    ? Mono.just(new Located(variant, m))
                    : Mono.error(new PlaylistException(STAGE, variant, "a variant is a master playlist itself", null)));
        });
    }

    @Override
    public Flux<Chunk> read(long offset, long length) {
        if (offset < 0 || length < TO_END) {
            throw new IllegalArgumentException("offset " + offset + ", length " + length);
        }
        return Flux.defer(() -> {
            Map<URI, Mono<byte[]>> keys = new ConcurrentHashMap<>();
            AtomicLong position = new AtomicLong();
            long end = length == TO_END ? Long.MAX_VALUE : offset + length;
            // The init section in force, across a live stream's reloads: sent again only where it changes.
            AtomicReference<Segment> map = new AtomicReference<>();
            SegmentRamp ramp = new SegmentRamp(settings.connections, PART_SIZE);
            Flux<Flux<Chunk>> reads = mediaPlaylist()
                    .flatMapMany(located -> located.media().ended()
                            ? Flux.just(pieces(located.media().segments(), false, map))
                            : new LiveWindow(located).segments().map(segments -> pieces(segments, true, map)))
                    .concatMapIterable(pieces -> pieces)
                    .concatMap(piece -> reads(piece, keys, ramp));
            // A parallel read's connection logic, running the segments' own reads.
            return ParallelSource.of(HttpSource.oneConnection(settings.uri, settings.http))
                    .optConnections(settings.connections).ordered(reads)
                    .<Chunk>handle((chunk, sink) -> {
                        Chunk placed = place(chunk, position, offset, end);
                        if (placed != null) {
                            sink.next(placed);
                        }
                    })
                    .takeUntil(chunk -> chunk.offset() + chunk.remaining() >= end)
                    .doOnDiscard(Chunk.class, Chunk::close);
        });
    }

    /**
     * A resource to fetch: a segment or an init section ({@code init}), of a live stream or not; {@code restart} for
     * an init section that replaces another, where the demuxer must start again.
     */
    private record Piece(Segment segment, boolean live, boolean init, boolean restart, int segmentsAfter) {
    }

    /**
     * The segments of a run and the init sections before them where the one in force ({@code map}) changes, in the
     * order their bytes go out.
     */
    private static List<Piece> pieces(List<Segment> segments, boolean live, AtomicReference<Segment> map) {
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            // A live window is followed by more; a VOD playlist's last segment has none after it.
            int after = live ? Integer.MAX_VALUE : segments.size() - 1 - i;
            Segment current = map.get();
            // The same resource and range: a reload parses the section anew, so it is compared by where it is. After
            // a discontinuity the section goes out again even so: fragment times start over, which the demuxer of
            // the fragments before would file among them, so a new one must read on.
            boolean same = current != null && segment.map() != null && segment.map().uri().equals(current.uri())
                    && segment.map().range().equals(current.range()) && !segment.discontinuity();
            if (segment.map() != null && !same) {
                map.set(segment.map());
                pieces.add(new Piece(segment.map(), live, true, current != null, after));
            }
            pieces.add(new Piece(segment, live, false, false, after));
        }
        return pieces;
    }

    /** {@code chunk} at its place in the stream, cut to {@code [offset, end)}; null (and closed) outside it. */
    private static Chunk place(Chunk chunk, AtomicLong position, long offset, long end) {
        long start = position.getAndAdd(chunk.remaining());
        long stop = start + chunk.remaining();
        if (stop <= offset || start >= end) {
            chunk.close();
            return null;
        }
        ByteBuffer data = chunk.data();
        if (start < offset) {
            data.position(data.position() + (int) (offset - start));
            start = offset;
        }
        if (stop > end) {
            data.limit(data.limit() - (int) (stop - end));
        }
        return chunk.movedTo(start);
    }

    /**
     * The reads of {@code piece}, to run in order over the connections. A VOD media segment is cut into parts as
     * {@code ramp} plans them (an encrypted one on its blocks); an init section and a live segment (skipped whole when
     * gone) are one read each.
     */
    private Flux<Flux<Chunk>> reads(Piece piece, Map<URI, Mono<byte[]>> keys, SegmentRamp ramp) {
        Segment segment = piece.segment();
        // The key comes before the reads are planned: a read that waited for it would let the size be asked first,
        // in a request of its own.
        return source(segment, keys).flatMapMany(source -> reads(piece, source, ramp));
    }

    private Flux<Flux<Chunk>> reads(Piece piece, ByteSource source, SegmentRamp ramp) {
        Segment segment = piece.segment();
        long offset = segment.range().offset();
        long length = segment.range().length() < 0 ? TO_END : segment.range().length();
        if (!piece.init() && !piece.live()) {
            ParallelSource.Cut cut = piece.segmentsAfter() < tailSegments() ? ramp.tail() : ramp;
            return ParallelSource.reads(source, offset, length,
                    segment.key() == null ? cut : Aes128Source.blockAligned(cut, offset));
        }
        Flux<Chunk> whole = source.read(offset, length);
        if (piece.restart()) {
            whole = startingStream(whole);
        }
        if (!piece.live()) {
            return Flux.just(whole);
        }
        // A live segment that is gone (404, 410) is skipped: the stream goes on without it.
        return Flux.just(whole.onErrorResume(e -> e instanceof HttpStatusException status
                && (status.status() == 404 || status.status() == 410), e -> {
                    skip(1);
                    return Flux.empty();
                }));
    }

    /** How many segments at the end of a VOD stream are cut in parts of one unit ({@link SegmentRamp#tail}). */
    private int tailSegments() {
        return (settings.connections + 1) / 2;
    }

    /** {@code bytes} with its first chunk marked as the start of a stream of its own ({@link Chunk#startsStream}). */
    private static Flux<Chunk> startingStream(Flux<Chunk> bytes) {
        return Flux.defer(() -> {
            AtomicBoolean first = new AtomicBoolean(true);
            return bytes.map(chunk -> first.getAndSet(false) ? chunk.startingStream() : chunk);
        });
    }

    /**
     * Where {@code segment}'s bytes come from: its resource, decrypted when it names an AES-128 key (once the key is
     * in). Errors: {@link UnsupportedEncryptionException} for any other method (SAMPLE-AES, DRM).
     */
    private Mono<ByteSource> source(Segment segment, Map<URI, Mono<byte[]>> keys) {
        HttpSource resource = HttpSource.oneConnection(segment.uri(), settings.http);
        Key key = segment.key();
        if (key == null) {
            return Mono.just(resource);
        }
        if (!key.method().equals("AES-128")) {
            return Mono.error(new UnsupportedEncryptionException(STAGE, settings.uri, "segment " + segment.uri()
                    + " is encrypted with " + key.method()
                    + ", which reelflux does not decrypt (AES-128 only; no SAMPLE-AES, no DRM)"));
        }
        return keys.computeIfAbsent(key.uri(), this::fetchKey).map(keyBytes -> new Aes128Source(resource, keyBytes,
                iv(key, segment), segment.range().offset(),
                segment.range().length() < 0 ? TO_END : segment.range().length(), settings.http.bufferPool()));
    }

    private Mono<byte[]> fetchKey(URI keyUri) {
        return collect(HttpSource.oneConnection(keyUri, settings.http).read(0, TO_END))
                .flatMap(key -> key.length == 16 ? Mono.just(key) : Mono.error(new PlaylistException(STAGE, keyUri,
                        "an AES-128 key is 16 bytes, this one " + key.length, null)))
                .cache();
    }

    private static byte[] iv(Key key, Segment segment) {
        if (key.iv() != null) {
            return key.iv();
        }
        return ByteBuffer.allocate(16).putLong(8, segment.sequence()).array();
    }

    /** Every byte of {@code chunks}, the chunks closed as they are copied. */
    private static Mono<byte[]> collect(Flux<Chunk> chunks) {
        return chunks.reduceWith(ByteArrayOutputStream::new, (all, chunk) -> {
            try (chunk) {
                byte[] bytes = new byte[chunk.remaining()];
                chunk.data().get(bytes);
                all.writeBytes(bytes);
                return all;
            }
        }).map(ByteArrayOutputStream::toByteArray).defaultIfEmpty(new byte[0]);
    }

    private Mono<HlsPlaylist> fetchPlaylist(URI at) {
        return HttpSource.oneConnection(at, settings.http).read(0, MAX_PLAYLIST_BYTES)
                .as(HlsSource::collect)
                .map(bytes -> {
                    try {
                        return HlsPlaylist.parse(new String(bytes, StandardCharsets.UTF_8), at);
                    } catch (IllegalArgumentException e) {
                        throw new PlaylistException(STAGE, at, e.getMessage(), e);
                    }
                })
                .flatMap(playlist -> {
                    if (playlist instanceof Media media && media.segments().isEmpty()) {
                        return Mono.error(new PlaylistException(STAGE, at, "a media playlist without segments", null));
                    }
                    if (refersTo(playlist, at)) {
                        return Mono.error(new PlaylistException(STAGE, at, "the playlist refers to itself", null));
                    }
                    return Mono.just(playlist);
                });
    }

    private static boolean refersTo(HlsPlaylist playlist, URI at) {
        return playlist instanceof Master master ? master.variants().stream().anyMatch(v -> v.uri().equals(at))
                : ((Media) playlist).segments().stream().anyMatch(segment -> segment.uri().equals(at));
    }

    private Variant pick(Master master) {
        List<Variant> fitting = master.variants().stream().filter(v -> v.height() <= settings.maxHeight).toList();
        List<Variant> candidates = fitting.isEmpty() ? master.variants() : fitting;
        Comparator<Variant> byBandwidth = Comparator.comparingLong(Variant::bandwidth);
        Comparator<Variant> order = switch (settings.rule) {
            case HIGHEST_BANDWIDTH -> byBandwidth;
            case LOWEST_BANDWIDTH -> byBandwidth.reversed();
            case HIGHEST_RESOLUTION -> Comparator.comparingLong((Variant v) -> (long) v.width() * v.height())
                    .thenComparing(byBandwidth);
        };
        return candidates.stream().max(order).orElseThrow();
    }

    /**
     * A live playlist followed: reloaded until it ends ({@code EXT-X-ENDLIST}) or the read is cancelled, each reload's
     * new segments emitted in order. After a reload that brought segments, the next waits for the last segment's
     * duration, when the next one should be listed; after one that brought none, half the target duration, then half
     * as long again each time, up to {@value #MAX_BACKOFF} target durations. Segments that left the playlist before
     * their turn are counted as skipped.
     */
    private final class LiveWindow {

        private final URI at;
        private Media last;
        private long next;
        private int unchanged;
        private double lastDuration;

        LiveWindow(Located first) {
            this.at = first.at();
            this.last = first.media();
            List<Segment> segments = last.segments();
            int start = settings.liveStart == LiveStart.EDGE ? Math.max(0, segments.size() - EDGE_SEGMENTS) : 0;
            this.next = segments.get(start).sequence();
        }

        Flux<List<Segment>> segments() {
            return Flux.defer(() -> Mono.just(fresh(last)))
                    .concatWith(Flux.defer(() -> Mono.delay(untilReload()).then(fetchPlaylist(at)).map(this::reloaded))
                            .repeat(() -> !last.ended()))
                    .filter(segments -> !segments.isEmpty());
        }

        private List<Segment> reloaded(HlsPlaylist playlist) {
            if (!(playlist instanceof Media media)) {
                throw new PlaylistException(STAGE, at, "a live media playlist became a master playlist", null);
            }
            last = media;
            List<Segment> fresh = fresh(media);
            unchanged = fresh.isEmpty() ? unchanged + 1 : 0;
            return fresh;
        }

        /** The segments of {@code media} from the next one on; those gone before their turn are counted. */
        private List<Segment> fresh(Media media) {
            List<Segment> segments = media.segments();
            if (!segments.isEmpty() && segments.get(0).sequence() > next) {
                skip(segments.get(0).sequence() - next);
                next = segments.get(0).sequence();
            }
            List<Segment> fresh = segments.stream().filter(segment -> segment.sequence() >= next).toList();
            if (!fresh.isEmpty()) {
                next = fresh.get(fresh.size() - 1).sequence() + 1;
                lastDuration = fresh.get(fresh.size() - 1).duration();
            }
            return fresh;
        }

        private Duration untilReload() {
            double target = last.targetDuration();
            double seconds = unchanged == 0 ? Math.min(target, lastDuration > 0 ? lastDuration : target)
                    : Math.min(MAX_BACKOFF * target, target / 2 * Math.pow(1.5, unchanged - 1));
            return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
        }
    }

    @Override
    public String toString() {
        return "HlsSource[" + settings.uri + ", " + settings.rule + ", " + settings.connections + " connections]";
    }

    private HlsSource with(Consumer<Settings> change) {
        return new HlsSource(settings.with(change));
    }

    private static final class Settings extends Values<Settings> {
        private URI uri;
        private HttpSettings http;
        private VariantRule rule = VariantRule.HIGHEST_RESOLUTION;
        private int maxHeight = Integer.MAX_VALUE;
        private int connections;
        private LiveStart liveStart = LiveStart.EDGE;
    }
}
