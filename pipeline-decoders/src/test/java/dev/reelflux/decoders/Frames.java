package dev.reelflux.decoders;

import dev.reelflux.decoders.internal.DecoderSession;
import reactor.core.publisher.Flux;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Small helpers for tests that look at decoded frames. */
final class Frames {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Frames() {
    }

    /** Applies {@code look} to every frame, closing each right after, and returns the results in order. */
    static <T> List<T> each(Flux<VideoFrame> frames, Function<VideoFrame, T> look) {
        return frames.map(frame -> {
            try (frame) {
                return look.apply(frame);
            }
        }).collectList().block(TIMEOUT);
    }

    /** The display indices of the frames. */
    static List<Long> indices(Flux<VideoFrame> frames) {
        return each(frames, VideoFrame::index);
    }

    static String sha256(VideoFrame frame) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer data = frame.data().duplicate();
            digest.update(data);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits (briefly) for every decode session to be closed: a cancelled one closes on its own thread. */
    static void awaitSessionsClosed() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (DecoderSession.openSessions() > 0 && System.nanoTime() < deadline) {
            sleep(5);
        }
        assertThat(DecoderSession.openSessions()).as("open decoder sessions").isZero();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
