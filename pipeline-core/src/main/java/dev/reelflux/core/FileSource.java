package dev.reelflux.core;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A {@link ByteSource} over a local file. Size is known and every range can be read.
 *
 * <p>Reads run on {@link Schedulers#boundedElastic()}, one pooled buffer per requested chunk, so a slow subscriber keeps
 * the file position where it is; cancel closes the file.
 */
public final class FileSource implements ByteSource {

    private static final String STAGE = "file";

    private final Path path;
    private final BufferPool pool;

    private FileSource(Path path, BufferPool pool) {
        this.path = path;
        this.pool = pool;
    }

    /** A source for {@code path}; existence is checked when reading. */
    public static FileSource of(Path path) {
        return new FileSource(path.toAbsolutePath(), BufferPool.shared());
    }

    /**
     * A source for a {@code file:} URI.
     *
     * @throws InvalidSourceException if {@code uri} is not a {@code file:} URI
     */
    public static FileSource of(URI uri) {
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            throw new InvalidSourceException(STAGE, uri, "not a file: URI", null);
        }
        return of(Path.of(uri));
    }

    /** A copy reading into buffers from {@code pool}. */
    public FileSource withPool(BufferPool pool) {
        return new FileSource(path, pool);
    }

    public Path path() {
        return path;
    }

    @Override
    public URI uri() {
        return path.toUri();
    }

    @Override
    public Mono<SourceInfo> info() {
        return Mono.fromCallable(() -> new SourceInfo(Files.size(path), true, null))
                .onErrorMap(IOException.class, this::error)
                .subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Flux<Chunk> read(long offset, long length) {
        if (offset < 0 || (length < 0 && length != TO_END)) {
            return Flux.error(new IllegalArgumentException("offset " + offset + ", length " + length));
        }
        return Flux.<Chunk, Cursor>generate(
                        () -> new Cursor(FileChannel.open(path, StandardOpenOption.READ), offset, length),
                        this::next,
                        Cursor::close)
                .onErrorMap(IOException.class, this::error)
                .onErrorMap(UncheckedIOException.class, e -> error(e.getCause()))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private Cursor next(Cursor cursor, SynchronousSink<Chunk> sink) {
        long left = cursor.end - cursor.position;
        if (left <= 0) {
            sink.complete();
            return cursor;
        }
        ByteBuffer buffer = pool.acquire();
        try {
            if (left < buffer.capacity()) {
                buffer.limit((int) left);
            }
            int n = cursor.channel.read(buffer, cursor.position);
            if (n < 0) {
                pool.discard(buffer);
                if (cursor.end != Long.MAX_VALUE) {
                    sink.error(new ContentRangeException(STAGE, uri(), "file ends at " + cursor.position
                            + ", before the end of the range asked for (" + cursor.end + ")", null));
                } else {
                    sink.complete();
                }
                return cursor;
            }
            buffer.flip();
            sink.next(pool.wrap(buffer, cursor.position));
            cursor.position += n;
        } catch (IOException e) {
            pool.discard(buffer);
            throw new UncheckedIOException(e);
        }
        return cursor;
    }

    private SourceException error(Throwable e) {
        if (e instanceof NoSuchFileException) {
            return new InvalidSourceException(STAGE, uri(), "no such file", e);
        }
        return new SourceException(STAGE, uri(), String.valueOf(e.getMessage()), e);
    }

    private static final class Cursor {
        final FileChannel channel;
        final long end;
        long position;

        Cursor(FileChannel channel, long offset, long length) {
            this.channel = channel;
            this.position = offset;
            this.end = length == TO_END ? Long.MAX_VALUE : offset + length;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a read-only channel cannot lose data; nothing to report.
            }
        }
    }
}
