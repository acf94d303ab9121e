package dev.reelflux.examples;

import dev.reelflux.core.FileSource;
import dev.reelflux.core.HlsSource;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.VideoDecoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * {@code bench}'s HLS part: the real-cost clip cut into 2-second HLS segments by the bundled ffmpeg (packets copied),
 * served with every connection limited (1 MB/s by default): reelflux reading over {@value #CONNECTIONS} connections
 * against {@code ffmpeg -i URL.m3u8 -f null} (which reads a segment or two at a time), against the slower of the
 * download alone over the same connections and decoding alone, and its first frame against ffmpeg's; and, as the
 * floor this machine sets, the same stream with the limits off against decoding alone.
 */
final class HlsBench {

    private static final int CONNECTIONS = 8;
    private static final Duration FIRST_BYTE = Duration.ofMillis(30);

    private HlsBench() {
    }

    static void run(BenchMedia media, Path work, VideoDecoder decoder, BundledFfmpeg ffmpeg, long perConnection,
                    int runs) {
        Path hls = work.resolve("hls");
        try {
            Files.createDirectories(hls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ffmpeg.run("-y", "-i", media.clip().toString(), "-c", "copy", "-an", "-f", "hls", "-hls_time", "2",
                "-hls_playlist_type", "vod", "-hls_segment_filename", hls.resolve("seg%03d.ts").toString(),
                hls.resolve("index.m3u8").toString());
        try (TestHttpServer cdn = TestHttpServer.start()) {
            cdn.serveAll("/hls/", hls);
            URI uri = cdn.uri("/hls/index.m3u8");
            HttpSettings http = HttpSettings.create();
            http.warmup(uri).block();
            cdn.shape(perConnection, FIRST_BYTE);
            double[] first = new double[2];
            HlsSource stream = HlsSource.create(uri, http).optConnections(CONNECTIONS);
            Rounds rounds = Rounds.run(runs,
                    () -> BenchCommand.timeDecode(decoder, stream, 0, first),
                    () -> ffmpeg.millis("-i", uri.toString(), "-f", "null", "-"),
                    () -> BenchCommand.timeDownload(stream),
                    () -> BenchCommand.timeDecode(decoder, FileSource.of(media.clip()), 0, new double[1]),
                    () -> ffmpeg.millis("-i", uri.toString(), "-frames:v", "1", "-f", "null", "-"),
                    () -> unlimited(cdn, perConnection,
                            () -> BenchCommand.timeDecode(decoder, stream, 0, new double[1])));
            System.out.printf("HLS VOD (%s in 2 s segments), every connection %.1f MB/s, %d ms to first byte,"
                    + " %d connections:%n", media.clip().getFileName(), perConnection / 1e6, FIRST_BYTE.toMillis(),
                    CONNECTIONS);
            Rounds.report("  decode all from the playlist [ms]", rounds.of(0), "ffmpeg -i URL.m3u8 -f null",
                    rounds.of(1));
            Rounds.report("  decode all from the playlist [ms]", rounds.of(0),
                    "slower of download (same connections) and decode alone", rounds.combined(2, 3, Math::max));
            // What reading HLS costs this machine's cores with no link in the way (the test server, the client, TS
            // demuxing): the stream over a limited link cannot beat it.
            Rounds.report("  the same, link unlimited [ms]", rounds.of(5), "decode alone", rounds.of(3));
            Rounds.report("  first frame [ms] (last round)", first[0], "ffmpeg process, first frame",
                    Rounds.median(rounds.of(4)));
        }
    }

    /** {@code run} with the server's limits off, then on again. */
    private static double unlimited(TestHttpServer cdn, long perConnection, DoubleSupplier run) {
        cdn.shape(0, Duration.ZERO);
        try {
            return run.getAsDouble();
        } finally {
            cdn.shape(perConnection, FIRST_BYTE);
        }
    }
}
