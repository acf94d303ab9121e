package dev.reelflux.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSourceTest {

    @TempDir
    Path dir;

    private final BufferPool pool = new BufferPool(4096, 4);

    private Path file(int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve("f" + size), bytes);
    }

    private static byte[] collect(FileSource source, long offset, long length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        source.read(offset, length).doOnNext(c -> {
            byte[] b = c.toArray();
            out.write(b, 0, b.length);
            c.close();
        }).blockLast(Duration.ofSeconds(10));
        return out.toByteArray();
    }

    @Test
    void readsTheWholeFileInOrderedChunks() throws IOException {
        Path path = file(10_000);
        FileSource source = FileSource.of(path).withPool(pool);
        assertThat(collect(source, 0, ByteSource.TO_END)).isEqualTo(Files.readAllBytes(path));
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void readsARange() throws IOException {
        Path path = file(10_000);
        byte[] all = Files.readAllBytes(path);
        FileSource source = FileSource.of(path).withPool(pool);
        assertThat(collect(source, 4000, 5000)).isEqualTo(Arrays.copyOfRange(all, 4000, 9000));
        assertThat(collect(source, 9990, ByteSource.TO_END)).isEqualTo(Arrays.copyOfRange(all, 9990, 10_000));
        assertThat(collect(source, 10_000, ByteSource.TO_END)).isEmpty();
    }

    @Test
    void chunkOffsetsAreAbsolute() throws IOException {
        FileSource source = FileSource.of(file(10_000)).withPool(pool);
        StepVerifier.create(source.read(100, 5000).map(c -> {
                    long offset = c.offset();
                    c.close();
                    return offset;
                }))
                .expectNext(100L, 4196L)
                .verifyComplete();
    }

    @Test
    void reportsSizeAndRangeSupport() throws IOException {
        FileSource source = FileSource.of(file(1234));
        StepVerifier.create(source.info()).expectNext(new SourceInfo(1234, true, null)).verifyComplete();
    }

    @Test
    void aMissingFileIsAnInvalidSource() {
        FileSource source = FileSource.of(dir.resolve("missing.mp4"));
        StepVerifier.create(source.read(0, ByteSource.TO_END)).expectError(InvalidSourceException.class).verify();
        StepVerifier.create(source.info()).expectError(InvalidSourceException.class).verify();
    }

    @Test
    void aRangePastTheEndOfTheFileIsAContentRangeError() throws IOException {
        FileSource source = FileSource.of(file(100)).withPool(pool);
        StepVerifier.create(source.read(50, 100).doOnNext(Chunk::close))
                .expectNextCount(1)
                .expectError(ContentRangeException.class)
                .verify();
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void cancelReleasesEverything() throws IOException {
        FileSource source = FileSource.of(file(100_000)).withPool(pool);
        StepVerifier.create(source.read(0, ByteSource.TO_END), 2)
                .consumeNextWith(Chunk::close)
                .consumeNextWith(Chunk::close)
                .thenCancel()
                .verify();
        assertThat(pool.outstanding()).isZero();
    }

    @Test
    void onlyFileUrisAreAccepted() {
        assertThatThrownBy(() -> FileSource.of(java.net.URI.create("http://example.com/a.mp4")))
                .isInstanceOf(InvalidSourceException.class)
                .hasMessageContaining("http://example.com/a.mp4");
    }
}
