package dev.reelflux.core;

import dev.reelflux.core.internal.HlsPlaylist;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An http(s) URL that may answer with an HLS playlist though its path does not say so ({@code /live?id=5}): the
 * first response decides, by its content type ({@code application/vnd.apple.mpegurl} and its aliases) or, for any
 * other type, by its first line ({@code #EXTM3U}). A playlist is then read as an {@link HlsSource}, anything else as
 * the settings read a file ({@link HttpSettings#parallel}).
 *
 * <p>Over one connection the decoder's first read, from the start, is the response that decides: a file costs no
 * request more. Over several, a read of the first bytes decides before the parallel reads start.
 */
final class SniffedSource implements ByteSource {

    private static final Set<String> PLAYLIST_TYPES = Set.of("application/vnd.apple.mpegurl",
            "application/x-mpegurl", "audio/mpegurl", "audio/x-mpegurl");
    /** Enough of the start for a byte-order mark, some blank lines and {@code #EXTM3U}. */
    private static final int FIRST_BYTES = 64;
    /** Extensions of paths that name a video file: read as bytes without checking for a playlist. */
    private static final Set<String> VIDEO_FILES = Set.of("mp4", "m4v", "mov", "mkv", "webm", "ts", "m2ts", "mts",
            "avi", "flv", "mpg", "mpeg", "3gp", "h264", "264", "hevc", "265", "ivf", "y4m");

    private final URI uri;
    private final HttpSettings settings;
    private final HttpSource http;
    private final AtomicBoolean deciding = new AtomicBoolean();
    private final Sinks.One<ByteSource> decision = Sinks.one();
    private volatile boolean settled;

    /** {@link ByteSource#open} for an http(s) {@code uri}. */
    static ByteSource open(URI uri, HttpSettings settings) {
        String path = uri.getPath() == null ? "" : uri.getPath().toLowerCase(Locale.ROOT);
        String name = path.substring(path.lastIndexOf('/') + 1);
        String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
        if (extension.equals("m3u8")) {
            return HlsSource.create(uri, settings);
        }
        if (VIDEO_FILES.contains(extension)) {
            return settings.parallel(HttpSource.oneConnection(uri, settings));
        }
        return new SniffedSource(uri, settings);
    }

    private SniffedSource(URI uri, HttpSettings settings) {
        this.uri = uri;
        this.settings = settings;
        this.http = HttpSource.oneConnection(uri, settings);
    }

    @Override
    public Flux<Chunk> read(long offset, long length) {
        return Flux.defer(() -> {
            if (offset == 0 && settings.connections() == 1 && deciding.compareAndSet(false, true)) {
                return http.read(0, length).switchOnFirst((first, rest) -> {
                    if (first.hasValue()) {
                        ByteSource chosen = choose(first.get().data());
                        settle(chosen);
                        // A file goes on in this very response; a playlist's body is dropped (it is small) and
                        // the stream starts anew from its segments.
                        return chosen == http ? rest : rest.doOnNext(Chunk::close).thenMany(chosen.read(0, length));
                    }
                    if (first.isOnError()) {
                        fail(first.getThrowable());
                    } else {
                        settle(http);
                    }
                    return rest;
                }).doOnDiscard(Chunk.class, Chunk::close).doOnCancel(this::undecided);
            }
            return decided().flatMapMany(source -> source.read(offset, length));
        });
    }

    @Override
    public Mono<SourceInfo> info() {
        return decided().flatMap(ByteSource::info);
    }

    @Override
    public URI uri() {
        return uri;
    }

    /** The source the first response chose; read the first bytes to choose when no read from the start does. */
    private Mono<ByteSource> decided() {
        return Mono.defer(() -> {
            probeUnlessDeciding();
            // Again once subscribed: a read that was deciding may have been cancelled meanwhile.
            return decision.asMono().doOnSubscribe(subscription -> probeUnlessDeciding());
        });
    }

    /**
     * The read that was to decide was cancelled before its first bytes: the next one decides, or a probe now when
     * someone waits for the choice.
     */
    private void undecided() {
        if (!settled) {
            deciding.set(false);
            if (decision.currentSubscriberCount() > 0) {
                probeUnlessDeciding();
            }
        }
    }

    private void probeUnlessDeciding() {
        if (!settled && deciding.compareAndSet(false, true)) {
            probe();
        }
    }

    private void probe() {
        http.read(0, FIRST_BYTES).reduceWith(() -> ByteBuffer.allocate(FIRST_BYTES), (start, chunk) -> {
            try {
                ByteBuffer data = chunk.data().duplicate();
                data.limit(data.position() + Math.min(data.remaining(), start.remaining()));
                return start.put(data);
            } finally {
                chunk.close();
            }
        }).map(start -> choose(start.flip())).defaultIfEmpty(settings.parallel(http))
                .subscribe(this::settle, this::fail);
    }

    private void settle(ByteSource source) {
        settled = true;
        decision.tryEmitValue(source);
    }

    private void fail(Throwable error) {
        settled = true;
        decision.tryEmitError(error);
    }

    /**
     * An {@link HlsSource} when the response that began with {@code start} is a playlist, else the file: its headers,
     * content type included, are known by the time its first bytes are.
     */
    private ByteSource choose(ByteBuffer start) {
        SourceInfo info = http.knownInfo();
        String type = info == null || info.contentType() == null ? ""
                : info.contentType().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        byte[] bytes = new byte[Math.min(start.remaining(), FIRST_BYTES)];
        start.duplicate().get(bytes);
        boolean playlist = PLAYLIST_TYPES.contains(type)
                || HlsPlaylist.isPlaylist(new String(bytes, StandardCharsets.UTF_8));
        return playlist ? HlsSource.create(uri, settings) : settings.parallel(http);
    }

    @Override
    public String toString() {
        return "SniffedSource[" + uri + "]";
    }
}
