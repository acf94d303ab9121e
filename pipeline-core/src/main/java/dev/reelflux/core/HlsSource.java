package dev.reelflux.core;

import dev.reelflux.core.internal.HlsPlaylist;
import dev.reelflux.core.internal.HlsPlaylist.Key;
import dev.reelflux.core.internal.HlsPlaylist.Master;
import dev.reelflux.core.internal.HlsPlaylist.Media;
import dev.reelflux.core.internal.HlsPlaylist.Segment;
import dev.reelflux.core.internal.HlsPlaylist.Variant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HLS stream (VOD) as one continuous run of bytes for the decoder: the media playlist's segments back to back
 * (MPEG-TS segments as they are; fragmented MP4 as the {@code EXT-X-MAP} init section, again wherever it changes,
 * followed by the media segments). A master playlist is followed to the variant {@link #optVariant} picks.
 *
 * <ul>
 *   <li>Segments are fetched ahead over several connections, {@link #optWindow} at once (default: the settings'
 *       connections, at least 3), and emitted in order; each segment is one {@link HttpSource} read, which resumes a
 *       broken transfer alone ({@link HttpSettings#optRetry}). Byte-range segments ({@code EXT-X-BYTERANGE}) are
 *       ranged reads.</li>
 *   <li>AES-128 segments ({@code EXT-X-KEY METHOD=AES-128}) are decrypted with the JDK's AES/CBC cipher, the key
 *       fetched once per URI, the IV from the tag or the media sequence number. SAMPLE-AES and key systems (DRM) fail
 *       with {@link PlaylistException}.</li>
 *   <li>Emits chunks covering the concatenation in order; backpressures: at most the window's segments are held
 *       ahead of the subscriber; completes after the last segment; cancelling stops every segment read and closes
 *       the chunks held. The subscriber owns each chunk.</li>
 *   <li>Errors: {@link PlaylistException} for a playlist that cannot be followed, and the typed errors of
 *       {@link HttpSource} for the playlist, key and segment requests.</li>
 * </ul>
 * The size is unknown until the end and the stream has no ranges: {@link #info()} says so, and a read past byte 0
 * reads from the start and drops what lies before it. Immutable; every {@code opt*} returns a configured copy.
 */
public final class HlsSource implements ByteSource {

    static final String STAGE = "hls";
    private static final int MIN_WINDOW = 3;
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

    private final URI uri;
    private final HttpSettings settings;
    private final VariantRule rule;
    private final int maxHeight;
    private final int window;

    private HlsSource(URI uri, HttpSettings settings, VariantRule rule, int maxHeight, int window) {
        this.uri = uri;
        this.settings = settings;
        this.rule = rule;
        this.maxHeight = maxHeight;
        this.window = window;
    }

    /** The stream whose playlist (master or media) is at {@code uri}, read with {@code settings}. */
    public static HlsSource create(URI uri, HttpSettings settings) {
        HttpSource.oneConnection(uri, settings);
        return new HlsSource(uri, Objects.requireNonNull(settings, "settings"), VariantRule.HIGHEST_RESOLUTION,
                Integer.MAX_VALUE, Math.max(MIN_WINDOW, settings.connections()));
    }

    /** Which variant of a master playlist is read (default {@link VariantRule#HIGHEST_RESOLUTION}). */
    public HlsSource optVariant(VariantRule rule) {
        return new HlsSource(uri, settings, Objects.requireNonNull(rule, "rule"), maxHeight, window);
    }

    /** Variants taller than this are left out, where any is not (default: no cap). */
    public HlsSource optMaxHeight(int maxHeight) {
        if (maxHeight <= 0) {
            throw new IllegalArgumentException("maxHeight must be positive: " + maxHeight);
        }
        return new HlsSource(uri, settings, rule, maxHeight, window);
    }

    /** Segments fetched at once, ahead of the one being read (default: the settings' connections, at least 3). */
    public HlsSource optWindow(int segments) {
        if (segments <= 0) {
            throw new IllegalArgumentException("window must be positive: " + segments);
        }
        return new HlsSource(uri, settings, rule, maxHeight, segments);
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public Mono<SourceInfo> info() {
        return Mono.just(new SourceInfo(UNKNOWN_SIZE, false, "application/vnd.apple.mpegurl"));
    }

    /** The media playlist read: {@code uri}'s, or that of the variant the rule picks from a master playlist. */
    public Mono<Media> playlist() {
        return fetchPlaylist(uri).flatMap(playlist -> playlist instanceof Master master
                ? fetchPlaylist(pick(master).uri()).flatMap(variant -> variant instanceof Media media
                        ? Mono.just(media)
                        : Mono.error(new PlaylistException(STAGE, uri, "a variant is a master playlist itself", null)))
                : Mono.just((Media) playlist));
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
            return playlist()
                    .flatMapMany(media -> Flux.fromIterable(pieces(media)))
                    .flatMapSequential(piece -> fetch(piece, keys), window, 1)
                    .concatMap(chunk -> Mono.justOrEmpty(place(chunk, position, offset, end)))
                    .takeUntil(chunk -> chunk.offset() + chunk.remaining() >= end)
                    .doOnDiscard(Chunk.class, Chunk::close);
        });
    }

    /** The init sections and segments, in the order their bytes go out. */
    private static List<Segment> pieces(Media media) {
        List<Segment> pieces = new ArrayList<>();
        Segment map = null;
        for (Segment segment : media.segments()) {
            if (segment.map() != null && !segment.map().equals(map)) {
                map = segment.map();
                pieces.add(map);
            }
            pieces.add(segment);
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

    private Flux<Chunk> fetch(Segment piece, Map<URI, Mono<byte[]>> keys) {
        Key key = piece.key();
        Flux<Chunk> bytes = HttpSource.oneConnection(piece.uri(), settings)
                .read(piece.range().offset(), piece.range().length() < 0 ? TO_END : piece.range().length());
        if (key == null) {
            return bytes;
        }
        if (!key.method().equals("AES-128")) {
            return Flux.error(new PlaylistException(STAGE, uri, "segment " + piece.uri() + " is encrypted with "
                    + key.method() + ", which reelflux does not decrypt (AES-128 only; no SAMPLE-AES, no DRM)", null));
        }
        Mono<byte[]> keyBytes = keys.computeIfAbsent(key.uri(), this::fetchKey);
        return keyBytes.zipWith(collect(bytes))
                .flatMapMany(both -> Flux.fromIterable(decrypt(both.getT2(), both.getT1(), iv(key, piece), piece)));
    }

    private Mono<byte[]> fetchKey(URI keyUri) {
        return collect(HttpSource.oneConnection(keyUri, settings).read(0, TO_END))
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

    private List<Chunk> decrypt(byte[] encrypted, byte[] key, byte[] iv, Segment segment) {
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            plain = cipher.doFinal(encrypted);
        } catch (GeneralSecurityException e) {
            throw new PlaylistException(STAGE, segment.uri(), "AES-128 decryption failed: " + e.getMessage(), e);
        }
        List<Chunk> chunks = new ArrayList<>();
        ByteBuffer rest = ByteBuffer.wrap(plain);
        while (rest.hasRemaining()) {
            chunks.add(settings.bufferPool().copyOf(rest, rest.position()));
        }
        return chunks;
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
        return HttpSource.oneConnection(at, settings).read(0, MAX_PLAYLIST_BYTES)
                .as(HlsSource::collect)
                .map(bytes -> {
                    try {
                        return HlsPlaylist.parse(new String(bytes, StandardCharsets.UTF_8), at);
                    } catch (IllegalArgumentException e) {
                        throw new PlaylistException(STAGE, at, e.getMessage(), e);
                    }
                })
                .flatMap(playlist -> playlist instanceof Media media && media.segments().isEmpty()
                        ? Mono.error(new PlaylistException(STAGE, at, "a media playlist without segments", null))
                        : Mono.just(playlist));
    }

    private Variant pick(Master master) {
        List<Variant> fitting = master.variants().stream().filter(v -> v.height() <= maxHeight).toList();
        List<Variant> candidates = fitting.isEmpty() ? master.variants() : fitting;
        Comparator<Variant> byBandwidth = Comparator.comparingLong(Variant::bandwidth);
        Comparator<Variant> order = switch (rule) {
            case HIGHEST_BANDWIDTH -> byBandwidth;
            case LOWEST_BANDWIDTH -> byBandwidth.reversed();
            case HIGHEST_RESOLUTION -> Comparator.comparingLong((Variant v) -> (long) v.width() * v.height())
                    .thenComparing(byBandwidth);
        };
        return candidates.stream().max(order).orElseThrow();
    }

    @Override
    public String toString() {
        return "HlsSource[" + uri + ", " + rule + ", window " + window + "]";
    }
}
