package dev.reelflux.inference;

import dev.reelflux.core.BufferPool;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.testing.Fault;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.testing.Corruptions;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.inference.testing.TestModels;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak: 1,000 clips through one shared worker, eight at a time, each with a random fault, a random cancel or a
 * random budget, then native bytes and resident memory compared with where they started. Tagged {@code soak}: not in
 * the default run (several minutes on 2 cores); the README has its command.
 */
@Tag("soak")
@ExtendWith(NativeLeakGate.class)
class PipelineSoakTest {

    private static final int CLIPS = Integer.getInteger("reelflux.soak.clips", 1_000);
    private static final SlabShape SHAPE = new SlabShape(8, 160, 160);

    @TempDir
    Path dir;

    @Test
    void aThousandClipsWithRandomFaultsAndCancelsLeaveNothingBehind() {
        byte[] clip = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false).optSize(320, 240)
                .optFrames(40).optGop(10).toBytes();
        ModelSpec spec = TestModels.ballDetectorSpec(dir, SHAPE);
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        try (TestHttpServer server = TestHttpServer.start();
             InferenceWorker worker = InferenceWorker.start(DetectorModel.load(spec))) {
            VideoAnalysis analysis = VideoAnalysis.create(ModelBranch.create("ball", worker, SHAPE))
                    .optDecoder(VideoDecoder.create().optThreads(1));
            HttpSettings http = HttpSettings.create().optIdleTimeout(Duration.ofMillis(500))
                    .optResponseTimeout(Duration.ofMillis(500));
            // The first half brings memory to its working level (allocator caches, JIT, Netty pools); the second
            // half must not raise it further: a leak grows with every clip, a cache does not.
            run(0, CLIPS / 2, server, clip, analysis, http, outcomes);
            System.gc();
            long nativeBefore = Pointer.totalBytes();
            long physicalBefore = Pointer.physicalBytes();
            run(CLIPS / 2, CLIPS, server, clip, analysis, http, outcomes);
            System.gc();
            long nativeAfter = Pointer.totalBytes();
            long physicalAfter = Pointer.physicalBytes();

            System.out.printf("soak: %d clips %s; second half: JavaCPP bytes %d -> %d, resident %d MB -> %d MB%n",
                    CLIPS, new TreeMap<>(outcomes), nativeBefore, nativeAfter, physicalBefore >> 20,
                    physicalAfter >> 20);
            assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CLIPS);
            assertThat(nativeAfter).isLessThanOrEqualTo(nativeBefore);
            assertThat(BufferPool.shared().outstanding()).isZero();
            assertThat(worker.queued()).isZero();
            // A leak of one 160x160 slot per clip would add 150 MB over 500 clips; caches stay flat.
            assertThat(physicalAfter - physicalBefore).isLessThan(64L << 20);
        }
    }

    private static void run(int from, int to, TestHttpServer server, byte[] clip, VideoAnalysis analysis,
                            HttpSettings http, Map<String, Integer> outcomes) {
        Flux.range(from, to - from)
                .flatMap(i -> one(i, server, clip, analysis, http), 8)
                .doOnNext(outcome -> outcomes.merge(outcome, 1, Integer::sum))
                .blockLast(Duration.ofMinutes(30));
    }

    /** Clip {@code i}: a fault, a damaged file, a cancel, a budget or nothing, drawn from a seed per clip. */
    private static Mono<String> one(int i, TestHttpServer server, byte[] clip, VideoAnalysis analysis,
                                    HttpSettings http) {
        Random random = new Random(i);
        String path = "/soak-" + i + ".mp4";
        int kind = random.nextInt(6);
        byte[] bytes = kind == 1 ? Corruptions.mutate(clip, random) : clip;
        URI uri = server.serve(path, bytes);
        if (kind == 0) {
            List<Fault> faults = List.of(Fault.resetAt(random.nextInt(clip.length)),
                    Fault.truncateAt(random.nextInt(clip.length)), Fault.stallAt(random.nextInt(clip.length)),
                    Fault.stallBeforeHeaders(), Fault.status(500 + random.nextInt(4)), Fault.ignoreRange());
            server.fault(path, faults.get(random.nextInt(faults.size())));
        }
        Mono<String> outcome = (kind == 3 ? analysis.optBudget(Duration.ofMillis(20 + random.nextInt(300))) : analysis)
                .analyze(uri, http)
                .map(done -> done.report().budgetHit() ? "budget hit" : done.report().error() == null ? "complete"
                        : done.report().error().getClass().getSimpleName());
        if (kind == 2) {
            // A client that goes away: the clip is cancelled wherever it is.
            return outcome.take(Duration.ofMillis(random.nextInt(300))).defaultIfEmpty("cancelled");
        }
        return outcome;
    }
}
