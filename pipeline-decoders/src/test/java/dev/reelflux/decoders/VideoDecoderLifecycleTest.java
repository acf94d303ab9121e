package dev.reelflux.decoders;

import org.junit.jupiter.api.extension.ExtendWith;
import dev.reelflux.decoders.testing.NativeLeakGate;
import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.decoders.testing.TestVideo.Codec;
import dev.reelflux.decoders.testing.TestVideo.Container;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Threads, demand, cancellation, deadlines and ownership: nothing native or pooled outlives a decode. */
@ExtendWith(NativeLeakGate.class)
class VideoDecoderLifecycleTest {

    private static final int FRAMES = 50;

    @Test
    void cancellingAtRandomMomentsLeavesNoMemoryThreadOrSession() {
        byte[] clip = Clips.bytes(Clips.clip(Codec.H264, Container.MP4_FASTSTART, FRAMES, 25));
        CountingAllocator allocator = new CountingAllocator();
        VideoDecoder decoder = VideoDecoder.create().optThreads(2).optAllocator(allocator);
        // Warm up: load the natives, start Reactor's timer threads, install the callbacks.
        Frames.indices(decoder.decode(slow(clip, 0)));
        Frames.awaitSessionsClosed();
        long nativeBytes = Pointer.totalBytes();
        int threads = liveThreads();

        Random random = new Random(42);
        for (int run = 0; run < 24; run++) {
            MemorySource source = slow(clip, run);
            // Some cancel while the container is still being opened (a few ms in), some mid-stream.
            long cancelAfterMicros = random.nextInt(run % 2 == 0 ? 3_000 : 40_000);
            Disposable decoding = decoder.decode(source).subscribe(VideoFrame::close);
            sleepMicros(cancelAfterMicros);
            decoding.dispose();
            Frames.awaitSessionsClosed();
            assertThat(source.outstandingChunks()).as("chunks of run " + run).isZero();
        }

        awaitThreads(threads);
        assertThat(Pointer.totalBytes()).as("JavaCPP bytes").isEqualTo(nativeBytes);
        assertThat(allocator.outstanding()).as("frame regions").isZero();
        assertThat(allocator.closedTwice()).isZero();
    }

    @Test
    void decodesOnItsOwnThreadAndOnlyAsFastAsDownstreamAsks() {
        byte[] clip = Clips.bytes(Clips.clip(Codec.H264, Container.MKV, 320, 240, 250, 25));
        MemorySource source = MemorySource.of(clip).withChunkSize(4 << 10);
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicLong decoded = new AtomicLong();
        BaseSubscriber<VideoFrame> oneAtATime = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                request(1);
            }

            @Override
            protected void hookOnNext(VideoFrame frame) {
                threads.add(Thread.currentThread().getName());
                frame.close();
            }
        };
        VideoDecoder decoder = VideoDecoder.create().optThreads(1).optListener(new DecodeListener() {
            @Override
            public void frameDecoded(long index, boolean selected) {
                decoded.incrementAndGet();
            }
        });

        decoder.decode(source).subscribe(oneAtATime);
        Frames.sleep(300);

        assertThat(threads).hasSize(1).allMatch(name -> name.startsWith("reelflux-decode-"));
        assertThat(decoded.get()).as("frames decoded while demand was 0").isLessThanOrEqualTo(2);
        assertThat(source.bytesDelivered()).as("bytes fetched while demand was 0").isLessThan(clip.length / 4);

        oneAtATime.requestUnbounded();
        long deadline = System.nanoTime() + Frames.TIMEOUT.toNanos();
        while (threads.size() < 250 && System.nanoTime() < deadline) {
            Frames.sleep(10);
        }
        assertThat(threads).hasSize(250);
    }

    @Test
    void sixteenConcurrentStreamsAreEachExact() {
        byte[] clip = Clips.bytes(Clips.clip(Codec.MPEG4, Container.MP4_FASTSTART, FRAMES, 25));
        List<Integer> expected = IntStream.range(0, FRAMES).boxed().toList();

        List<List<Integer>> streams = Flux.range(0, 16)
                .flatMap(i -> VideoDecoder.create().optThreads(1)
                        .decode(MemorySource.of(clip).withRandomChunks(1, 64 << 10, i))
                        .map(frame -> {
                            try (frame) {
                                return Stamps.read(frame);
                            }
                        })
                        .collectList(), 16)
                .collectList()
                .block(Frames.TIMEOUT);

        assertThat(streams).hasSize(16).allSatisfy(stamps -> assertThat(stamps).isEqualTo(expected));
    }

    @Test
    void deadlineInterruptsFFmpegAndErrorsAfterTheFramesSoFar() {
        byte[] clip = Clips.bytes(Clips.clip(Codec.H264, Container.MP4_FASTSTART, FRAMES, 25));
        MemorySource source = MemorySource.of(clip).withChunkSize(2 << 10).withChunkDelay(Duration.ofMillis(5));

        StepVerifier.create(VideoDecoder.create().optDeadline(Duration.ofMillis(150)).decode(source)
                        .doOnNext(VideoFrame::close))
                .thenConsumeWhile(frame -> true)
                .expectError(DecodeTimeoutException.class)
                .verify(Frames.TIMEOUT);
        assertThat(source.bytesDelivered()).isLessThan(clip.length);
    }

    @Test
    void framesDroppedByReactorAfterCancelAreClosed() {
        byte[] clip = Clips.bytes(Clips.clip(Codec.H264, Container.MP4_FASTSTART, FRAMES, 25));
        CountingAllocator allocator = new CountingAllocator();

        List<Long> taken = VideoDecoder.create().optAllocator(allocator).decode(MemorySource.of(clip))
                .publishOn(Schedulers.single(), 8)
                .take(5)
                .map(frame -> {
                    try (frame) {
                        return frame.index();
                    }
                })
                .doOnDiscard(VideoFrame.class, VideoFrame::close)
                .collectList()
                .block(Frames.TIMEOUT);

        assertThat(taken).containsExactlyElementsOf(LongStream.range(0, 5).boxed().toList());
        Frames.awaitSessionsClosed();
        assertThat(allocator.outstanding()).isZero();
        assertThat(allocator.closedTwice()).isZero();
    }

    @Test
    void streamInfoIsKnownBeforeTheFirstFrame() {
        byte[] clip = Clips.bytes(Clips.clip(Codec.H264, Container.MP4_FASTSTART, FRAMES, 25));
        List<Object> events = new CopyOnWriteArrayList<>();
        VideoDecoder decoder = VideoDecoder.create().optListener(new DecodeListener() {
            @Override
            public void opened(StreamInfo stream, long openNanos) {
                events.add(stream);
            }

            @Override
            public void closed(DecodeStats stats) {
                events.add(stats);
            }
        });

        List<StreamInfo> perFrame = Frames.each(decoder.decode(MemorySource.of(clip)).doOnNext(events::add),
                VideoFrame::stream);

        StreamInfo stream = (StreamInfo) events.get(0);
        assertThat(stream.codec()).isEqualTo("h264");
        assertThat(stream.decoder()).isEqualTo("h264");
        assertThat(stream.container()).startsWith("mov,mp4");
        assertThat(stream.hwAccel()).isEqualTo(HwAccel.NONE);
        assertThat(stream.width()).isEqualTo(320);
        assertThat(stream.height()).isEqualTo(240);
        assertThat(stream.fps()).isEqualTo(25.0);
        assertThat(stream.frameCount()).isEqualTo(FRAMES);
        assertThat(stream.duration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(perFrame).hasSize(FRAMES).allMatch(s -> s == stream);
        DecodeStats stats = (DecodeStats) events.get(events.size() - 1);
        assertThat(stats.outcome()).isEqualTo(DecodeStats.Outcome.COMPLETED);
        assertThat(stats.framesDecoded()).isEqualTo(FRAMES);
        assertThat(stats.framesEmitted()).isEqualTo(FRAMES);
        assertThat(stats.bytesFetched()).isEqualTo(clip.length);
        assertThat(stats.firstFrameNanos()).isGreaterThanOrEqualTo(stats.openNanos()).isPositive();
    }

    /** The clip in small chunks with a short pause before each, so a decode lasts long enough to be cut anywhere. */
    private static MemorySource slow(byte[] clip, long seed) {
        return MemorySource.of(clip).withRandomChunks(512, 16 << 10, seed).withChunkDelay(Duration.ofMillis(1));
    }

    private static int liveThreads() {
        return Thread.getAllStackTraces().size();
    }

    /** Decode threads end after their session closed; give them a moment, then compare. */
    private static void awaitThreads(int baseline) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (liveThreads() > baseline && System.nanoTime() < deadline) {
            Frames.sleep(10);
        }
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.startsWith("reelflux-decode-"));
        assertThat(liveThreads()).as("live threads").isLessThanOrEqualTo(baseline);
    }

    private static void sleepMicros(long micros) {
        long end = System.nanoTime() + micros * 1000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** Direct buffers that remember how often each was closed. */
    private static final class CountingAllocator implements FrameAllocator {
        private final AtomicInteger outstanding = new AtomicInteger();
        private final Map<Region, AtomicInteger> closes = new ConcurrentHashMap<>();

        @Override
        public Region allocate(FrameFormat format, int bytes) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            AtomicInteger count = new AtomicInteger();
            outstanding.incrementAndGet();
            Region region = new Region() {
                @Override
                public ByteBuffer buffer() {
                    return buffer;
                }

                @Override
                public void close() {
                    if (count.incrementAndGet() == 1) {
                        outstanding.decrementAndGet();
                    }
                }
            };
            closes.put(region, count);
            return region;
        }

        int outstanding() {
            return outstanding.get();
        }

        long closedTwice() {
            return closes.values().stream().filter(count -> count.get() > 1).count();
        }
    }
}
