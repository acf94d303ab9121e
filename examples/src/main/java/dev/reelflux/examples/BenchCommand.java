package dev.reelflux.examples;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.Chunk;
import dev.reelflux.core.FileSource;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.HttpSource;
import dev.reelflux.core.PipelineRecorder;
import dev.reelflux.core.TransferStats;
import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.core.testing.TestHttpServer;
import dev.reelflux.decoders.HwAccel;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.VideoFrame;
import dev.reelflux.decoders.testing.KeySamples;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.inference.BatchSlab;
import dev.reelflux.inference.DetectorModel;
import dev.reelflux.inference.FrameBatch;
import dev.reelflux.inference.FrameBatcher;
import dev.reelflux.inference.FrameInfo;
import dev.reelflux.inference.InferenceStage;
import dev.reelflux.inference.InferenceWorker;
import dev.reelflux.inference.ModelBranch;
import dev.reelflux.inference.ModelSpec;
import dev.reelflux.inference.SlabPool;
import dev.reelflux.inference.VideoAnalysis;
import dev.reelflux.inference.testing.TestFrames;
import dev.reelflux.inference.testing.TestModels;
import dev.reelflux.decoders.Letterbox;
import dev.reelflux.decoders.FrameFormat;
import dev.reelflux.examples.Converters.Size;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;


/**
 * Side-by-side figures against the baselines the issues name, each the median of a few runs in one process:
 * decoding vs the ffmpeg executable, streaming vs download-then-decode over a shaped link, the pipeline vs calling the
 * model directly, decode+infer overlapped vs the two alone, and over a link limited per connection: parallel ranged
 * reads vs one connection, decoding from the URL vs ffmpeg, key frames only vs the key samples' share of the file
 * (without and with B-frames), and, on the real-cost media of {@code --media} ({@code ../shared/bench} by default),
 * two models over one decode against separate pipelines ({@link ModelsBench}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Prints ratios against the baselines: ffmpeg, download-then-decode, direct predictor calls,"
                + " separate pipelines; medians of alternating rounds with their spread.")
final class BenchCommand implements Callable<Integer> {

    private static final int INPUT = 384;
    private static final int BATCH = 16;
    private static final int LONG_CLIP_GRAIN = 6;
    private static final long LONG_CLIP_BITRATE = 4_000_000;

    @Option(names = "--frames", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "frames of the generated clips (default 250)")
    private int frames = 250;
    @Option(names = "--size", paramLabel = "WxH", converter = Converters.SizeConverter.class,
            description = "size of the generated clips (default 1920x1080)")
    private Size size = new Size(1920, 1080);
    @Option(names = "--link", paramLabel = "MBps", converter = Converters.PositiveDouble.class,
            description = "the shaped link, MB/s (default 5)")
    private double link = 5;
    @Option(names = "--threads", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "decoder threads on both sides (default 2)")
    private int threads = 2;
    @Option(names = "--runs", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "rounds per figure (default 3)")
    private int runs = 3;
    @Option(names = "--long-frames", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "frames of the long clip of the parallel part (default 750)")
    private int longFrames = 750;
    @Option(names = "--per-connection", paramLabel = "MBps", converter = Converters.PositiveDouble.class,
            description = "the limit per connection, MB/s (default 2)")
    private double perConnection = 2;
    @Option(names = "--connections", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "fixed connections of the parallel part (default 6)")
    private int connections = 6;
    @Option(names = "--media", paramLabel = "DIR", description = "the real-cost media (default ../shared/bench)")
    private Path media = Path.of("..", "shared", "bench");
    @Option(names = "--model-frames", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "frames of the real clip through the models (default 24)")
    private int modelFrames = 24;
    @Option(names = "--only", paramLabel = "PARTS", split = ",",
            description = "only these parts: decode, link, parallel, pipeline, real, hls, budget, models")
    private Set<String> only = Set.of();

    @Override
    public Integer call() throws Exception {
        Options options = new Options(frames, size.width(), size.height(), (long) (link * 1_000_000), threads, runs,
                longFrames, (long) (perConnection * 1_000_000), connections, new BenchMedia(media), modelFrames,
                only);
        Path work = Files.createTempDirectory("reelflux-bench-");
        try {
            // Frames handed on by reference, as ffmpeg hands its frames to the null muxer: no copy on either side.
            VideoDecoder decoder = VideoDecoder.create().optThreads(options.threads).optHwAccel(HwAccel.NONE)
                    .optOutput(FrameFormat.decoded());
            if (options.runs("decode", "link", "pipeline")) {
                Path clip = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false)
                        .optSize(options.width, options.height).optFrames(options.frames).optGop(50)
                        .writeTo(work.resolve("clip.mp4"));
                byte[] bytes = Files.readAllBytes(clip);
                System.out.printf("bench: %dx%d H.264, %d frames, %d bytes; %d threads; median of %d runs%n%n",
                        options.width, options.height, options.frames, bytes.length, options.threads, options.runs);
                if (options.runs("decode")) {
                    decodeVersusFfmpeg(decoder, options.media.hasClip() ? options.media.clip() : clip, options);
                }
                if (options.runs("link")) {
                    streamingVersusDownloadFirst(decoder, bytes, options);
                }
                if (options.runs("pipeline")) {
                    pipelineVersusDirect(decoder, clip, work, options);
                }
            }
            if (options.runs("parallel")) {
                parallelVersusOneConnection(decoder, work, options);
            }
            if (options.runs("real")) {
                if (options.media.hasClip()) {
                    RealClipBench.run(options.media, work, decoder, options.ffmpeg(), options.linkBytesPerSecond,
                            options.perConnectionBytesPerSecond, options.runs);
                } else {
                    System.out.printf("(real footage: skipped, no clip in %s)%n", options.media.dir().toAbsolutePath());
                }
            }
            if (options.runs("hls")) {
                if (options.media.hasClip()) {
                    HlsBench.run(options.media, work, decoder, options.ffmpeg(),
                            options.perConnectionBytesPerSecond / 2, options.runs);
                } else {
                    System.out.printf("(HLS: skipped, no clip in %s)%n", options.media.dir().toAbsolutePath());
                }
            }
            if (options.runs("budget")) {
                if (options.media.hasModels()) {
                    BudgetBench.run(options.media, work, options.ffmpeg(), options.modelFrames, options.runs);
                } else {
                    System.out.printf("(a time budget: skipped, no clip and models in %s)%n",
                            options.media.dir().toAbsolutePath());
                }
            }
            if (options.runs("models")) {
                if (options.media.hasModels()) {
                    ModelsBench.run(options.media, options.modelFrames, options.threads, options.runs);
                } else {
                    System.out.printf("(two models over one decode: skipped, no clip and models in %s)%n",
                            options.media.dir().toAbsolutePath());
                }
            }
            return 0;
        } finally {
            Workspace.delete(work);
        }
    }

    /**
     * Decode throughput on {@code clip} (the real-cost clip when present) against the bundled ffmpeg at the same
     * thread count, by ffmpeg's own {@code -benchmark} {@code rtime}, which leaves out its process start.
     */
    private static void decodeVersusFfmpeg(VideoDecoder decoder, Path clip, Options options) {
        // The first measure to run is ffmpeg's, in the warm-up round, which is not counted: the count is known by then.
        long[] frames = new long[1];
        Rounds fps = Rounds.run(options.runs, () -> decodeFps(decoder, FileSource.of(clip), frames),
                () -> frames[0] / options.ffmpeg().rtimeSeconds(clip.toString()));
        System.out.printf("decoding %s (%d frames), %d threads:%n", clip.getFileName(), frames[0], options.threads);
        Rounds.report("  decode only [frames/s]", fps.of(0), "ffmpeg -threads N -f null (rtime)", fps.of(1));
    }

    private static void streamingVersusDownloadFirst(VideoDecoder decoder, byte[] bytes, Options options) {
        try (TestHttpServer cdn = TestHttpServer.start()) {
            URI uri = cdn.serve("/clip.mp4", bytes);
            cdn.shape(options.linkBytesPerSecond, Duration.ofMillis(30));
            HttpSettings http = HttpSettings.create();
            http.warmup(uri).block();
            double[] streamed = new double[2];
            double[] downloaded = new double[2];
            Rounds totals = Rounds.run(options.runs,
                    () -> timeDecode(decoder, HttpSource.create(uri, http), 0, streamed),
                    () -> {
                        long start = System.nanoTime();
                        byte[] all = download(HttpSource.create(uri, http));
                        return timeDecode(decoder, MemorySource.of(all), System.nanoTime() - start, downloaded);
                    });
            System.out.printf("over a %.1f MB/s link with 30 ms to first byte:%n", options.linkBytesPerSecond / 1e6);
            Rounds.report("  first frame [ms] (last round)", streamed[0], "download, then decode", downloaded[0]);
            Rounds.report("  total [ms]", totals.of(0), "download, then decode", totals.of(1));
        }
    }

    /**
     * Over a server that limits each connection (as CDNs do), a long clip: the download over one connection and over
     * several, and decoding it all from the URL against the ffmpeg executable reading the same URL.
     */
    private static void parallelVersusOneConnection(VideoDecoder decoder, Path work, Options options) {
        // Grain brings the bytes to a broadcast clip's (15 MB for 30 s at 4 Mb/s); the flat scene alone costs 2 MB.
        Path clip = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false)
                .optSize(options.width, options.height).optFrames(options.longFrames).optGop(50)
                .optGrain(LONG_CLIP_GRAIN).optBitrate(LONG_CLIP_BITRATE).writeTo(work.resolve("long.mp4"));
        try (TestHttpServer cdn = TestHttpServer.start()) {
            URI uri = cdn.serve("/long.mp4", clip);
            cdn.shape(options.perConnectionBytesPerSecond, Duration.ofMillis(30));
            HttpSettings one = HttpSettings.create();
            HttpSettings several = one.optConnections(options.connections);
            one.warmup(uri).block();
            HttpSettings adaptive = one.optAdaptiveConnections(PipelineOptions.AUTO_CONNECTIONS);
            Rounds download = Rounds.run(options.runs,
                    () -> timeDownload(ByteSource.open(uri, several)),
                    () -> timeDownload(ByteSource.open(uri, one)),
                    () -> timeDownload(ByteSource.open(uri, adaptive)));
            Rounds decodeAll = Rounds.run(options.runs,
                    () -> timeDecode(decoder, ByteSource.open(uri, adaptive), 0, new double[1]),
                    () -> options.ffmpeg().millis("-i", uri.toString(), "-f", "null", "-"),
                    () -> timeDecode(decoder, FileSource.of(clip), 0, new double[1]));
            long size = fileSize(clip);
            System.out.printf("over a link of %.1f MB/s per connection, %d frames (%d bytes):%n",
                    options.perConnectionBytesPerSecond / 1e6, options.longFrames, size);
            Rounds.report("  download [ms]", download.of(0), options.connections + " connections vs 1",
                    download.of(1));
            Rounds.report("  download, adaptive [ms]", download.of(2), "up to " + PipelineOptions.AUTO_CONNECTIONS
                    + " connections vs 1", download.of(1));
            Rounds.report("  decode all from the URL [ms]", decodeAll.of(0), "ffmpeg -i URL -f null",
                    decodeAll.of(1));
            Rounds.report("  (decode all from the file [ms])", decodeAll.of(2), "ffmpeg -i URL -f null",
                    decodeAll.of(1));
            sparseReads(decoder, uri, clip, adaptive);
            // MPEG-4 Part 2 is the one encoder here with B-frames; x264 marks its B-frames in sdtp alike.
            Path reordered = TestVideo.create().optCodec(TestVideo.Codec.MPEG4).optScene(TestVideo.Scene.BALL)
                    .optStamp(false).optSize(options.width, options.height).optFrames(options.longFrames / 3)
                    .optGop(50).optBFrames(2).optClosedGops(true).optDependencyMarks(true).optGrain(LONG_CLIP_GRAIN)
                    .optBitrate(LONG_CLIP_BITRATE).writeTo(work.resolve("reordered.mp4"));
            System.out.printf("  with B-frames (MPEG-4, two between references, closed GOPs of 50, %d frames, %d"
                    + " bytes):%n", options.longFrames / 3, fileSize(reordered));
            sparseReads(decoder, cdn.serve("/reordered.mp4", reordered), reordered, adaptive);
        }
    }

    /** Bytes fetched for key frames only, against the key samples' share, and for one frame a second. */
    private static void sparseReads(VideoDecoder decoder, URI uri, Path clip, HttpSettings http) {
        long size = fileSize(clip);
        TransferStats keyFrameReads = new TransferStats();
        double keyFramesMs = timeDecode(decoder.optKeyframesOnly(true),
                ByteSource.open(uri, http.optListener(keyFrameReads)), 0, new double[1]);
        Rounds.report("  key frames only [% of file]", 100.0 * keyFrameReads.bytes() / size,
                "key-frame samples [% of file]", 100.0 * KeySamples.bytes(clip) / size);
        System.out.printf("  (key frames only: %.0f ms, %d requests)%n", keyFramesMs, keyFrameReads.requests());
        TransferStats oneFpsReads = new TransferStats();
        double oneFpsMs = timeDecode(decoder.optTargetFps(1), ByteSource.open(uri, http.optListener(oneFpsReads)), 0,
                new double[1]);
        System.out.printf("  (one frame a second, each GOP read up to its last: %.1f%% of the file, %.0f ms,"
                + " %d requests)%n", 100.0 * oneFpsReads.bytes() / size, oneFpsMs, oneFpsReads.requests());
    }

    private static void pipelineVersusDirect(VideoDecoder decoder, Path clip, Path work, Options options) {
        ModelSpec spec = ModelSpec.create().setModelPath(TestModels.writeBallDetector(work.resolve("ball.pt")))
                .optInputSize(INPUT, INPUT).optBatchSize(BATCH).optWarmupBatches(1);
        int batches = (options.frames + BATCH - 1) / BATCH;
        SlabPool pool = new SlabPool(spec.slabShape(), batches);
        VideoDecoder toSlabs = decoder.optOutput(FrameFormat.planarFloat(INPUT, INPUT).optLetterbox(true));
        try (DetectorModel model = DetectorModel.load(spec);
             InferenceWorker worker = InferenceWorker.start(DetectorModel.load(spec))) {
            model.warmUp();
            DoubleSupplier direct = () -> {
                List<FrameBatch> ready = drawnBatches(pool, batches);
                long start = System.nanoTime();
                for (FrameBatch batch : ready) {
                    try (batch) {
                        model.predict(batch);
                    }
                }
                return (System.nanoTime() - start) / 1e6;
            };
            DoubleSupplier staged = () -> {
                List<FrameBatch> ready = drawnBatches(pool, batches);
                long start = System.nanoTime();
                Flux.fromIterable(ready).transform(InferenceStage.create(worker)).blockLast();
                return (System.nanoTime() - start) / 1e6;
            };
            DoubleSupplier decodeAlone = () -> {
                long start = System.nanoTime();
                FrameBatcher.create(spec.slabShape()).decode(toSlabs, FileSource.of(clip))
                        .doOnNext(FrameBatch::close).blockLast();
                return (System.nanoTime() - start) / 1e6;
            };
            DoubleSupplier overlapped = () -> VideoAnalysis.create(ModelBranch.create("ball", worker, spec.slabShape()))
                    .optDecoder(decoder)
                    .analyze(FileSource.of(clip), PipelineRecorder.start()).block().report().times().totalMs();
            Rounds t = Rounds.run(options.runs, staged, direct, overlapped, decodeAlone);
            System.out.printf("model (ball detector, %d x 3 x %d x %d on %s, %s torch threads), %d batches:%n", BATCH,
                    INPUT, INPUT, model.device(), System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    batches);
            Rounds.report("  inference stage [ms]", t.of(0), "DJL predictor called directly", t.of(1));
            Rounds.report("  decode + infer, overlapped [ms]", t.of(2), "decode alone + infer alone",
                    t.combined(3, 1, Double::sum));
            Rounds.report("  decode + infer, overlapped [ms]", t.of(2), "slower of decode and infer alone",
                    t.combined(3, 1, Math::max));
        }
    }

    private static List<FrameBatch> drawnBatches(SlabPool pool, int count) {
        List<FrameBatch> batches = new ArrayList<>();
        Letterbox letterbox = Letterbox.identity(INPUT, INPUT);
        for (int b = 0; b < count; b++) {
            BatchSlab slab = pool.acquire().block();
            List<FrameInfo> frames = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                TestFrames.drawPitch(slab.slotFloats(i), INPUT, INPUT);
                TestFrames.drawBall(slab.slotFloats(i), INPUT, INPUT, 40 + 10 * i, 60 + 5 * b, 6);
                frames.add(new FrameInfo(b * BATCH + i, 0, letterbox));
            }
            batches.add(new FrameBatch(slab, frames));
        }
        return batches;
    }

    /** Decodes everything; returns the total in ms and puts the first frame's time in {@code firstFrame[0]}. */
    static double timeDecode(VideoDecoder decoder, ByteSource source, long alreadyNanos, double[] firstFrame) {
        long start = System.nanoTime() - alreadyNanos;
        long[] first = {-1};
        decoder.decode(source).doOnNext(frame -> {
            if (first[0] < 0) {
                first[0] = System.nanoTime();
            }
            frame.close();
        }).blockLast();
        firstFrame[0] = (first[0] - start) / 1e6;
        return (System.nanoTime() - start) / 1e6;
    }

    static double timeDownload(ByteSource source) {
        long start = System.nanoTime();
        source.read(0, ByteSource.TO_END).doOnNext(Chunk::close).blockLast();
        return (System.nanoTime() - start) / 1e6;
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] download(ByteSource source) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        source.read(0, ByteSource.TO_END).doOnNext(chunk -> {
            byte[] part = new byte[chunk.data().remaining()];
            chunk.data().get(part);
            all.writeBytes(part);
            chunk.close();
        }).blockLast();
        return all.toByteArray();
    }

    /** Frames decoded per second; puts the count in {@code count[0]}. */
    private static double decodeFps(VideoDecoder decoder, ByteSource source, long[] count) {
        long[] decoded = {0};
        long start = System.nanoTime();
        decoder.optListener(new dev.reelflux.decoders.DecodeListener() {
            @Override
            public void frameDecoded(long index, boolean selected) {
                decoded[0]++;
            }
        }).decode(source).doOnNext(VideoFrame::close).blockLast();
        count[0] = decoded[0];
        return decoded[0] / ((System.nanoTime() - start) / 1e9);
    }

    /** The command line's values. */
    private record Options(int frames, int width, int height, long linkBytesPerSecond, int threads, int runs,
                           int longFrames, long perConnectionBytesPerSecond, int connections, BenchMedia media,
                           int modelFrames, Set<String> only) {

        BundledFfmpeg ffmpeg() {
            return new BundledFfmpeg(threads);
        }

        /** Whether one of {@code sections} is to run: all do unless {@code --only} names some. */
        boolean runs(String... sections) {
            return only.isEmpty() || Arrays.stream(sections).anyMatch(only::contains);
        }
    }
}
