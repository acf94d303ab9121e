package consumer;

import dev.reelflux.core.Chunk;
import dev.reelflux.core.FileSource;
import dev.reelflux.core.HttpSource;
import dev.reelflux.core.testing.TestHttpServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Uses the public API exactly as a user's project would. */
class ConsumerTest {

    @Test
    void readsAFileAndAUrlThroughTheInstalledModules() throws Exception {
        byte[] content = new byte[200_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7);
        }
        Path file = Files.write(Files.createTempFile("consumer", ".bin"), content);
        try (TestHttpServer server = TestHttpServer.start()) {
            long fromFile = FileSource.of(file).read(0, -1).doOnNext(Chunk::close).count().block() ;
            long bytes = HttpSource.create(server.serve("/clip.bin", content))
                    .read(0, -1).map(c -> { int n = c.remaining(); c.close(); return (long) n; })
                    .reduce(0L, Long::sum).block();
            assertEquals(content.length, bytes);
            assertEquals(true, fromFile > 0);
        } finally {
            Files.delete(file);
        }
    }
}
