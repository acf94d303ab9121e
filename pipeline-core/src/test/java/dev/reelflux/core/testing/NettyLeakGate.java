package dev.reelflux.core.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Turns Netty's leak reports into something a test can assert on.
 *
 * <p>Registered as a JUnit {@link LauncherSessionListener} (through this test-jar's service file), it installs, before
 * any test touches Netty, a leak-detector factory whose detectors record every leak they report. Netty reports a
 * leak only when a later allocation polls for garbage-collected, unreleased buffers; {@link #assertNoLeaks()} forces
 * that. Run tests with {@code -Dio.netty.leakDetection.level=paranoid} so every buffer is tracked.
 */
public final class NettyLeakGate implements LauncherSessionListener {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        install();
    }

    /** Installs the recording factory; call it before Netty allocates its first buffer. Idempotent. */
    public static synchronized void install() {
        ResourceLeakDetectorFactory current = ResourceLeakDetectorFactory.instance();
        if (current instanceof Recording) {
            return;
        }
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new Recording(current));
    }

    /** Leak reports seen so far in this JVM (resource type and the access records). */
    public static List<String> leaks() {
        return List.copyOf(LEAKS);
    }

    /**
     * Collects garbage, makes Netty poll its leak queues, and fails if any leak was reported since the JVM started.
     */
    public static void assertNoLeaks() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            for (int j = 0; j < 64; j++) {
                ByteBuf probe = ByteBufAllocator.DEFAULT.directBuffer(16);
                probe.release();
                ByteBuf heap = ByteBufAllocator.DEFAULT.heapBuffer(16);
                heap.release();
            }
        }
        if (!LEAKS.isEmpty()) {
            throw new AssertionError("Netty reported " + LEAKS.size() + " leak(s):\n" + String.join("\n", LEAKS));
        }
    }

    private static final class Recording extends ResourceLeakDetectorFactory {
        private final ResourceLeakDetectorFactory delegate;

        Recording(ResourceLeakDetectorFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                   long maxActive) {
            ResourceLeakDetector<T> detector = delegate.newResourceLeakDetector(resource, samplingInterval, maxActive);
            detector.setLeakListener((type, records) -> LEAKS.add(type + ": " + records));
            return detector;
        }
    }
}
