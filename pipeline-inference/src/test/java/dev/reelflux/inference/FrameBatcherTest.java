package dev.reelflux.inference;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.core.FileSource;
import dev.reelflux.decoders.FrameAllocator;
import dev.reelflux.decoders.FrameFormat;
import dev.reelflux.decoders.HwAccel;
import dev.reelflux.decoders.Letterbox;
import dev.reelflux.decoders.StreamInfo;
import dev.reelflux.decoders.TruncatedMediaException;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.VideoFrame;
import dev.reelflux.decoders.internal.FrameAccess;
import dev.reelflux.decoders.testing.TestVideo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(NativeLeakGate.class)
class FrameBatcherTest {

    private static final int FRAMES = 30;
    private static final SlabShape SHAPE = new SlabShape(8, 64, 64);
    private static final FrameFormat INPUT = FrameFormat.planarFloat(64, 64).optLetterbox(true);
    private static final VideoDecoder DECODER = VideoDecoder.create().optThreads(1).optOutput(INPUT);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static Path clip;

    @BeforeAll
    static void writeClip() {
        clip = TestVideo.create().optSize(320, 240).optFrames(FRAMES).optGop(10).writeTo(dir.resolve("clip.mp4"));
    }

    /** Every frame's planar floats as decoded with the default allocator, for comparison. */
    private static List<float[]> referenceFrames() {
        return DECODER.decode(clip).map(frame -> {
            try (frame) {
                return floats(frame.data());
            }
        }).collectList().block(WAIT);
    }

    private static float[] floats(ByteBuffer bytes) {
        FloatBuffer view = bytes.duplicate().order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        float[] out = new float[view.remaining()];
        view.get(out);
        return out;
    }

    /** Checks each batch against the reference frames, closes it, and returns its frame indices. */
    private static List<Long> checkAndClose(FrameBatch batch, List<float[]> reference) {
        try (batch) {
            List<Long> indices = new ArrayList<>();
            for (int slot = 0; slot < batch.size(); slot++) {
                long index = batch.frames().get(slot).frameIndex();
                assertThat(floats(batch.slab().slot(slot))).as("slot %d holds frame %d", slot, index)
                        .isEqualTo(reference.get((int) index));
                indices.add(index);
            }
            return indices;
        }
    }

    private static void awaitAllReturned(SlabPool pool) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (pool.outstanding() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(pool.outstanding()).as("slabs not returned").isZero();
    }

    @Test
    void decodesStraightIntoSlabsInBatchesOfN() {
        List<float[]> reference = referenceFrames();
        SlabPool pool = new SlabPool(SHAPE, 3);

        List<List<Long>> batches = FrameBatcher.create(SHAPE).decode(DECODER, FileSource.of(clip), pool)
                .map(batch -> checkAndClose(batch, reference))
                .collectList()
                .block(WAIT);

        assertThat(batches).extracting(List::size).containsExactly(8, 8, 8, 6);
        assertThat(batches.stream().flatMap(List::stream)).containsExactlyElementsOf(
                LongStream.range(0, FRAMES).boxed().toList());
        awaitAllReturned(pool);
        assertThat(pool.acquired()).as("one slab per batch: no frame was copied into a slab of its own")
                .isEqualTo(4);
    }

    @Test
    void batchesFramesFromAnyAllocatorByCopying() {
        List<float[]> reference = referenceFrames();
        SlabPool pool = new SlabPool(SHAPE, 2);

        List<List<Long>> batches = DECODER.decode(clip)
                .transform(FrameBatcher.create(SHAPE).batching(pool))
                .map(batch -> checkAndClose(batch, reference))
                .collectList()
                .block(WAIT);

        assertThat(batches).extracting(List::size).containsExactly(8, 8, 8, 6);
        awaitAllReturned(pool);
    }

    @Test
    void aPartialBatchLeavesWhenTheWaitExpires() {
        SlabPool pool = new SlabPool(SHAPE, 3);
        Sinks.Many<VideoFrame> frames = Sinks.many().unicast().onBackpressureBuffer();
        StepVerifier.withVirtualTime(() -> frames.asFlux()
                        .transform(FrameBatcher.create(SHAPE).optMaxWait(Duration.ofMillis(50))
                                .optTimer(VirtualTimeScheduler.get()).batching(pool))
                        .map(batch -> {
                            try (batch) {
                                return batch.frames().stream().map(FrameInfo::frameIndex).toList();
                            }
                        }))
                .then(() -> emit(frames, 0, 1, 2))
                .expectNoEvent(Duration.ofMillis(49))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(List.of(0L, 1L, 2L))
                .then(() -> emit(frames, 3, 4))
                .then(frames::tryEmitComplete)
                .expectNext(List.of(3L, 4L))
                .expectComplete()
                .verify(WAIT);
        awaitAllReturned(pool);
    }

    @Test
    void aSlowConsumerGetsEveryFrameWithoutOverflow() {
        SlabPool pool = new SlabPool(SHAPE, 2);

        Integer frames = FrameBatcher.create(SHAPE).optMaxWait(Duration.ofMillis(5))
                .decode(DECODER, FileSource.of(clip), pool)
                .concatMap(batch -> Mono.delay(Duration.ofMillis(60)).then(Mono.fromCallable(() -> {
                    try (batch) {
                        return batch.size();
                    }
                })), 0)
                .reduce(0, Integer::sum)
                .block(WAIT);

        assertThat(frames).isEqualTo(FRAMES);
        awaitAllReturned(pool);
    }

    @Test
    void cancelReturnsEverySlab() {
        SlabPool pool = new SlabPool(SHAPE, 3);

        StepVerifier.create(FrameBatcher.create(SHAPE).decode(DECODER, FileSource.of(clip), pool), 1)
                .consumeNextWith(FrameBatch::close)
                .thenCancel()
                .verify(WAIT);

        awaitAllReturned(pool);
    }

    @Test
    void anUpstreamErrorComesAfterTheFramesBeforeIt() throws IOException {
        byte[] whole = Files.readAllBytes(clip);
        Path truncated = Files.write(dir.resolve("truncated.mp4"), Arrays.copyOf(whole, whole.length * 2 / 3));
        SlabPool pool = new SlabPool(SHAPE, 3);
        List<Integer> sizes = new ArrayList<>();

        StepVerifier.create(FrameBatcher.create(SHAPE).decode(DECODER, FileSource.of(truncated), pool)
                        .doOnNext(batch -> {
                            sizes.add(batch.size());
                            batch.close();
                        }))
                .thenConsumeWhile(batch -> true)
                .expectError(TruncatedMediaException.class)
                .verify(WAIT);

        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isBetween(FRAMES / 3, FRAMES - 1);
        awaitAllReturned(pool);
    }

    @Test
    void rejectsADecoderWhoseFramesDoNotFitTheSlab() {
        FrameBatcher batcher = FrameBatcher.create(SHAPE);
        assertThatThrownBy(() -> batcher.decode(VideoDecoder.create().optOutput(FrameFormat.rgb24(64, 64)),
                FileSource.of(clip))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("planarFloat");
        assertThatThrownBy(() -> batcher.decode(DECODER.optOutput(FrameFormat.planarFloat(32, 32)),
                FileSource.of(clip))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> batcher.batching(new SlabPool(new SlabShape(4, 64, 64), 2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void emit(Sinks.Many<VideoFrame> sink, long... indices) {
        StreamInfo stream = new StreamInfo("test", "rawvideo", "rawvideo", HwAccel.NONE, 64, 64, 25, -1, null, 1, 25,
                0);
        for (long index : indices) {
            FrameAllocator.Region pixels = FrameAllocator.pooled().allocate(INPUT, SHAPE.slotBytes());
            sink.tryEmitNext(FrameAccess.create(stream, index, index, index / 25.0, index == 0, INPUT,
                    Letterbox.identity(64, 64), "yuv420p", List.of(), pixels, 0));
        }
    }
}
