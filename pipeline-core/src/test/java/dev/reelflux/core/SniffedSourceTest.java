package dev.reelflux.core;

import dev.reelflux.core.testing.Content;
import dev.reelflux.core.testing.Fault;
import dev.reelflux.core.testing.NettyLeakGate;
import dev.reelflux.core.testing.TestHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ByteSource#open} on a URL whose path does not say what it is: its first response decides. */
class SniffedSourceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PLAYLIST = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg0.ts\n#EXT-X-ENDLIST\n";

    private TestHttpServer server;
    private BufferPool buffers;
    private HttpSettings settings;

    @BeforeEach
    void start() {
        server = TestHttpServer.start();
        buffers = new BufferPool(BufferPool.DEFAULT_BUFFER_SIZE, 16);
        settings = HttpSettings.create().optBufferPool(buffers).optRetry(0, Duration.ofMillis(20));
    }

    @AfterEach
    void stop() {
        server.close();
        assertThat(buffers.outstanding()).as("chunks not released").isZero();
        NettyLeakGate.assertNoLeaks();
    }

    @Test
    void aFileIsReadInItsFirstResponseAndItsInfoComesFromIt() {
        byte[] file = new byte[300_000];
        new Random(3).nextBytes(file);
        URI uri = server.serve("/video", file);
        ByteSource source = ByteSource.open(uri, settings);

        assertThat(readAll(source)).isEqualTo(file);
        assertThat(source.info().block(WAIT).size()).isEqualTo(file.length);
        assertThat(server.stats("/video").requests()).hasSize(1);
    }

    @Test
    void infoBeforeAnyReadProbesTheFirstBytes() {
        URI playlist = server.serve("/live", Content.of(PLAYLIST.getBytes(StandardCharsets.UTF_8)), "text/plain");
        URI file = server.serve("/video", new byte[5000]);

        StepVerifier.create(ByteSource.open(file, settings).info())
                .assertNext(info -> assertThat(info.size()).isEqualTo(5000)).verifyComplete();
        // The playlist's own info: an HLS stream's, whose size is not known ahead.
        StepVerifier.create(ByteSource.open(playlist, settings).info())
                .assertNext(info -> assertThat(info.sizeKnown()).isFalse()).verifyComplete();
        assertThat(server.stats("/live").requests()).as("the probe; HLS fetches the playlist when read").hasSize(1);
    }

    @Test
    void anHttpErrorOfTheFirstResponseIsTheErrorOfEveryRead() {
        server.fault("/missing", Fault.status(404));
        ByteSource source = ByteSource.open(server.uri("/missing"), settings);

        StepVerifier.create(source.read(0, ByteSource.TO_END)).expectError(HttpStatusException.class).verify(WAIT);
        StepVerifier.create(source.info()).expectError(HttpStatusException.class).verify(WAIT);
        StepVerifier.create(source.read(100, 10)).expectError(HttpStatusException.class).verify(WAIT);
    }

    @Test
    void aFirstReadCancelledBeforeItsFirstBytesLeavesTheChoiceToTheNext() {
        URI uri = server.serve("/slow", new byte[1000]);
        server.shape(0, Duration.ofMillis(300));
        ByteSource source = ByteSource.open(uri, settings);

        Disposable first = source.read(0, ByteSource.TO_END).subscribe();
        first.dispose();

        StepVerifier.create(source.info()).assertNext(info -> assertThat(info.size()).isEqualTo(1000))
                .verifyComplete();
        assertThat(readAll(source)).hasSize(1000);
    }

    private static byte[] readAll(ByteSource source) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        source.read(0, ByteSource.TO_END).doOnNext(chunk -> {
            all.writeBytes(chunk.toArray());
            chunk.close();
        }).blockLast(WAIT);
        return all.toByteArray();
    }
}
