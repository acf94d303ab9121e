package dev.reelflux.core.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@link Content} read from a file at each request.
 *
 * <p>Each read opens the file anew: that costs microseconds per 64 KB chunk and leaves no file handle whose closing
 * would depend on how a response ended.
 */
final class FileContent extends Content {

    private final Path file;
    private final long size;

    FileContent(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("not a regular file: " + file);
        }
        this.file = file;
        try {
            this.size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve " + file, e);
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    void readChecked(long offset, ByteBuffer target) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = offset;
            while (target.hasRemaining()) {
                int read = channel.read(target, position);
                if (read < 0) {
                    throw new EOFException(file + " shrank below " + (position + target.remaining()) + " bytes");
                }
                position += read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "file(" + file + ", " + size + ")";
    }
}
