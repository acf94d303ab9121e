package dev.reelflux.decoders.testing;

import dev.reelflux.core.BufferPool;
import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.core.testing.NettyLeakGate;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.VideoFrame;
import dev.reelflux.decoders.internal.DecoderSession;
import dev.reelflux.decoders.internal.SharedPicture;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leak and crash gate of every test class that touches natives ({@code @ExtendWith(NativeLeakGate.class)}): after
 * each test, every decoder session is closed, no decode thread is alive, JavaCPP's native bytes and the shared
 * chunk pool's outstanding chunks are back to where they were before the test, and Netty reported no leaked buffer.
 *
 * <p>Closing is asynchronous after a cancel or an error (on the decode thread), so the gate waits up to ten seconds
 * for the baseline, collecting garbage meanwhile, before it fails. Once per JVM it first writes and decodes a tiny
 * clip of every codec and container, so that what is allocated once per process (the callbacks JavaCPP keeps for
 * FFmpeg, the writers' lazily loaded classes) is in every baseline.
 */
public final class NativeLeakGate implements BeforeEachCallback, AfterEachCallback {

    private static final AtomicBoolean WARM = new AtomicBoolean();
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NativeLeakGate.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        if (WARM.compareAndSet(false, true)) {
            warmUp();
        }
        collectGarbage();
        context.getStore(NAMESPACE).put("baseline", new Baseline(Pointer.totalBytes(),
                BufferPool.shared().outstanding()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Baseline baseline = context.getStore(NAMESPACE).get("baseline", Baseline.class);
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!baseline.reached() && System.nanoTime() < deadline) {
            collectGarbage();
        }
        assertThat(DecoderSession.openSessions()).as("open decoder sessions").isZero();
        assertThat(SharedPicture.held()).as("decoded pictures shared and not closed").isZero();
        assertThat(decodeThreads()).as("decode threads alive").isEmpty();
        assertThat(Pointer.totalBytes()).as("JavaCPP native bytes").isLessThanOrEqualTo(baseline.nativeBytes());
        assertThat(BufferPool.shared().outstanding()).as("chunks not released")
                .isLessThanOrEqualTo(baseline.chunks());
        NettyLeakGate.assertNoLeaks();
    }

    /** Writes and decodes a tiny clip of every codec in every container it fits. */
    private static void warmUp() {
        for (TestVideo.Container container : TestVideo.Container.values()) {
            for (TestVideo.Codec codec : TestVideo.Codec.values()) {
                if (!container.supports(codec) || !container.oneFile()) {
                    continue;
                }
                byte[] clip = TestVideo.create().optCodec(codec).optContainer(container).optSize(64, 64)
                        .optFrames(25).toBytes();
                VideoDecoder.create().decode(MemorySource.of(clip)).doOnNext(VideoFrame::close).blockLast(SETTLE);
            }
        }
        awaitClosed(SETTLE);
    }

    /** Waits up to {@code timeout} for every decoder session to close and its threads to end. */
    private static void awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((DecoderSession.openSessions() > 0 || !decodeThreads().isEmpty()) && System.nanoTime() < deadline) {
            sleep();
        }
    }

    /**
     * Lets the garbage collector and JavaCPP's deallocator thread free what nothing references any more (pointers
     * test code dropped without closing), so that only memory still held counts.
     */
    private static void collectGarbage() {
        System.gc();
        sleep();
    }

    private static List<String> decodeThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("reelflux-decode-")).toList();
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private record Baseline(long nativeBytes, long chunks) {
        boolean reached() {
            return DecoderSession.openSessions() == 0 && SharedPicture.held() == 0 && decodeThreads().isEmpty()
                    && Pointer.totalBytes() <= nativeBytes && BufferPool.shared().outstanding() <= chunks;
        }
    }
}
