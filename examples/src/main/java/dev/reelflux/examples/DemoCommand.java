package dev.reelflux.examples;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.Chunk;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.HttpSource;
import dev.reelflux.core.RequestRecord;
import dev.reelflux.core.TransferStats;
import dev.reelflux.core.testing.Content;
import dev.reelflux.core.testing.TestHttpServer;

import java.net.URI;
import java.time.Duration;

/** The main job: streams a clip from an in-process, CDN-shaped server and prints where the time went. */
final class DemoCommand implements Main.Command {

    private static final long CLIP_BYTES = 15_000_000;
    private static final long LINK_BYTES_PER_SECOND = 20_000_000;
    private static final Duration FIRST_BYTE_LATENCY = Duration.ofMillis(30);

    @Override
    public String summary() {
        return "streams a sample clip from an in-process CDN-like server and prints the timing breakdown";
    }

    @Override
    public int run(String[] args) {
        try (TestHttpServer cdn = TestHttpServer.start()) {
            URI uri = cdn.serve("/clip.mp4", Content.synthetic(CLIP_BYTES));
            cdn.shape(LINK_BYTES_PER_SECOND, FIRST_BYTE_LATENCY);
            TransferStats stats = new TransferStats();
            HttpSource source = HttpSource.create(uri, HttpSettings.create().optListener(stats));

            long started = System.nanoTime();
            long bytes = source.read(0, ByteSource.TO_END)
                    .map(chunk -> {
                        int n = chunk.remaining();
                        chunk.close();
                        return (long) n;
                    })
                    .reduce(0L, Long::sum)
                    .block();
            long totalNanos = System.nanoTime() - started;

            RequestRecord request = stats.records().get(0);
            System.out.printf("reelflux demo: %s (%d bytes, link %d MB/s, first-byte latency %d ms)%n", uri,
                    CLIP_BYTES, LINK_BYTES_PER_SECOND / 1_000_000, FIRST_BYTE_LATENCY.toMillis());
            System.out.printf("  connect     %8.1f ms%n", request.connectNanos() / 1e6);
            System.out.printf("  first byte  %8.1f ms%n", request.firstByteNanos() / 1e6);
            System.out.printf("  last byte   %8.1f ms%n", totalNanos / 1e6);
            System.out.printf("  bytes       %8d (%d requests, %d retries)%n", bytes, stats.requests(),
                    stats.retries());
            return 0;
        }
    }
}
