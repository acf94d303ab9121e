package dev.reelflux.decoders;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.FileSource;
import dev.reelflux.core.HttpSettings;
import dev.reelflux.core.HttpSource;
import dev.reelflux.core.UnsupportedEncryptionException;
import dev.reelflux.core.internal.Values;
import dev.reelflux.decoders.internal.DecodeTask;
import reactor.core.publisher.Flux;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.function.UnaryOperator;

/**
 * The decoder stage: turns the bytes of a {@link ByteSource} into a {@code Flux<VideoFrame>} with FFmpeg, reading the
 * source through a custom AVIO context while it downloads.
 *
 * <p>Immutable: every {@code opt*} method returns a configured copy, so one spec can be shared and specialised.
 * <pre>{@code
 * Flux<VideoFrame> frames = VideoDecoder.create()
 *         .optThreads(2)
 *         .optStride(5)
 *         .optOutput(FrameFormat.planarFloat(640, 640).optLetterbox(true))
 *         .decode(source);
 * }</pre>
 *
 * <p>The flux returned by {@code decode} is cold; each subscription opens its own session on its own decode thread
 * (never the subscriber's thread, never a Netty event loop) and
 * <ul>
 *   <li><b>emits</b> the selected frames in display order, each converted to the {@link #optOutput output format}
 *       (or once per {@linkplain #optOutputs output} that wants it);
 *       {@link DecodeListener#opened} has already seen the {@link StreamInfo}, which each frame also carries;</li>
 *   <li><b>backpressures</b>: a frame is scaled and emitted only once downstream requested it; while demand is 0 the
 *       decode thread waits, FFmpeg reads nothing, and the source is read no further than a few chunks ahead
 *       ({@link #optPrefetchChunks});</li>
 *   <li><b>completes</b> after the last selected frame, or as soon as {@link #optMaxFrames} frames were emitted (the
 *       download is cancelled then);</li>
 *   <li><b>errors</b> with a {@link DecodeException} subtype for a decoding failure, after the frames decoded before
 *       it: {@link InvalidMediaException} (garbage, empty), {@link UnsupportedMediaException} (also HLS segments
 *       encrypted with SAMPLE-AES or DRM), {@link NoVideoStreamException}, {@link TruncatedMediaException},
 *       {@link SeekNotSupportedException}, {@link DecodeTimeoutException}; an error of the source itself (an HTTP
 *       status, a broken connection) arrives as itself, unwrapped. Corrupt packets are skipped and counted, not
 *       signalled (in MPEG-TS, where they are whole packets at a seam, decoded);</li>
 *   <li><b>cancels</b>: FFmpeg is interrupted at its next read or interrupt check, the source read is cancelled, and
 *       the decode thread frees everything and ends.</li>
 * </ul>
 * Every FFmpeg context of a subscription is freed on its decode thread before the terminal signal is sent (or, on
 * cancel, before the thread ends), so once a subscriber saw completion or an error no native memory of the session is
 * left. Downstream owns each emitted {@link VideoFrame} and must close it; frames Reactor drops after a cancel are
 * closed by the stage.
 *
 * <h2>Frame selection</h2>
 * A frame is emitted when it passes every criterion set ({@link #optStride}, {@link #optTargetFps},
 * {@link #optKeyframesOnly}, {@link #optFrameFilter}), until {@link #optMaxFrames} frames were emitted. Frames not
 * selected are never scaled or copied. Where the stream allows it they are not decoded either: keyframes-only drops
 * non-key packets before the decoder and has the decoder skip non-key frames; any other selection that leaves frames
 * out has the decoder skip unselected frames that no other frame refers to (B-frames, {@code skip_frame=nonref},
 * decided packet by packet). On an MP4 that is not fragmented, from a source with ranges and a known size, the samples
 * left out are not even fetched: keyframes-only reads the key samples, and any other selection reads each GOP up to
 * its last selected frame, without the samples no frame refers to that are not selected (when that leaves out a tenth
 * of the bytes or more). When frames are skipped before decoding, frame indices come from timestamps
 * ({@code round((pts - start) * fps)}), which is exact for constant-frame-rate streams; see
 * {@link #optSkipUnselected} for variable frame rates.
 */
public final class VideoDecoder {

    /** Where {@link #decode(URI)} gets its bytes unless told: {@link ByteSource#open} with default settings. */
    private static final Function<URI, ByteSource> DEFAULT_SOURCES = uri -> ByteSource.open(uri, HttpSettings.create());

    private final Settings settings;

    private VideoDecoder(Settings settings) {
        this.settings = settings;
    }

    /** A decoder with defaults: every frame, as decoded, FFmpeg's thread count, NVDEC when available. */
    public static VideoDecoder create() {
        return new VideoDecoder(new Settings());
    }

    /** Decodes the bytes of {@code source}. See the class description for the flux's behaviour. */
    public Flux<VideoFrame> decode(ByteSource source) {
        Objects.requireNonNull(source, "source");
        // Encrypted segments this library cannot decrypt are media it does not support, as a codec it lacks is.
        return DecodeTask.frames(this, source).onErrorMap(UnsupportedEncryptionException.class,
                e -> new UnsupportedMediaException("source", e.getMessage(), 0, null, e));
    }

    /** Decodes the file at {@code path}. */
    public Flux<VideoFrame> decode(Path path) {
        return decode(FileSource.of(path));
    }

    /**
     * Decodes what {@code uri} names, with a source from {@link #optSources} (http, https and {@code file:} by
     * default). An URI the resolver rejects gives a flux that errors with the resolver's exception.
     */
    public Flux<VideoFrame> decode(URI uri) {
        return Flux.defer(() -> decode(settings.sources.apply(uri)));
    }

    /** Decoder threads; 0 (the default) lets FFmpeg pick one per core. */
    public VideoDecoder optThreads(int threads) {
        requireArgument(threads >= 0, "threads must be >= 0");
        return with(s -> s.threads = threads);
    }

    /** How decoder threads share the work; {@link ThreadType#AUTO} by default. */
    public VideoDecoder optThreadType(ThreadType threadType) {
        return with(s -> s.threadType = Objects.requireNonNull(threadType));
    }

    /**
     * Most bytes FFmpeg reads to detect the container and the stream parameters ({@code probesize} and
     * {@code format_probesize}); smaller opens faster. FFmpeg's defaults otherwise (5 MB and 1 MB).
     */
    public VideoDecoder optProbeSize(long bytes) {
        requireArgument(bytes >= 32, "probe size must be >= 32 bytes");
        return with(s -> s.probeSize = bytes);
    }

    /** Most stream time FFmpeg reads to learn the stream parameters ({@code analyzeduration}); 5 s by default. */
    public VideoDecoder optAnalyzeDuration(Duration duration) {
        requireArgument(!duration.isNegative(), "analyze duration must be >= 0");
        return with(s -> s.analyzeDuration = duration);
    }

    /** Most frames FFmpeg reads to estimate the frame rate ({@code fpsprobesize}); FFmpeg's default otherwise. */
    public VideoDecoder optFpsProbeSize(int frames) {
        requireArgument(frames >= 0, "fps probe size must be >= 0");
        return with(s -> s.fpsProbeSize = frames);
    }

    /**
     * Whether to skip {@code avformat_find_stream_info} when the container header already gives the video codec,
     * size and frame rate (MP4, MKV, WebM), which saves reading and decoding ahead before the first frame. It always
     * runs for containers without such a header (MPEG-TS). Default true.
     */
    public VideoDecoder optSkipStreamInfo(boolean skip) {
        return with(s -> s.skipStreamInfo = skip);
    }

    /** Emit every {@code stride}-th frame: indices 0, stride, 2 x stride, ... Default 1. */
    public VideoDecoder optStride(int stride) {
        requireArgument(stride >= 1, "stride must be >= 1");
        return with(s -> s.stride = stride);
    }

    /**
     * Emit about {@code fps} frames per second of video: the first frame at or after each tick of {@code 1 / fps}
     * seconds. Needs the stream's frame rate; a stream that declares none keeps every frame (with a warning). A rate
     * at or above the stream's keeps every frame. 0 (the default) turns it off.
     */
    public VideoDecoder optTargetFps(double fps) {
        requireArgument(fps >= 0, "target fps must be >= 0");
        return with(s -> s.targetFps = fps);
    }

    /** Complete after {@code frames} frames were emitted, cancelling the download. Unlimited by default. */
    public VideoDecoder optMaxFrames(long frames) {
        requireArgument(frames >= 0, "max frames must be >= 0");
        return with(s -> s.maxFrames = frames);
    }

    /** Emit keyframes only; other packets are dropped before decoding. Default false. */
    public VideoDecoder optKeyframesOnly(boolean keyframesOnly) {
        return with(s -> s.keyframesOnly = keyframesOnly);
    }

    /**
     * Emit only frames whose index passes {@code filter}; {@code null} (the default) keeps every frame. The filter
     * must be a pure function of the index: it may be asked about one index more than once (for the packet and for
     * the frame) and from the decode thread of any subscription.
     */
    public VideoDecoder optFrameFilter(LongPredicate filter) {
        return with(s -> s.frameFilter = filter);
    }

    /**
     * Whether frames the selection leaves out may be skipped before decoding (and, for an MP4, before fetching) when
     * nothing refers to them (default true). Indices then come from timestamps; set false for variable-frame-rate
     * streams, where only counting decoded frames gives the right indices (every frame is then read and decoded, and
     * only selected ones are scaled).
     */
    public VideoDecoder optSkipUnselected(boolean skip) {
        return with(s -> s.skipUnselected = skip);
    }

    /**
     * The layout frames are emitted in; {@link FrameFormat#source()} by default. For a decoder with one output.
     *
     * @throws IllegalStateException when {@link #optOutputs} set several
     */
    public VideoDecoder optOutput(FrameFormat output) {
        Objects.requireNonNull(output);
        return withOnlyOutput(only -> FrameOutput.of(output).optAllocator(only.allocator())
                .optFrameFilter(only.frameFilter()));
    }

    /**
     * Where frame pixels are written; {@link FrameAllocator#pooled()} by default. For a decoder with one output.
     *
     * @throws IllegalStateException when {@link #optOutputs} set several
     */
    public VideoDecoder optAllocator(FrameAllocator allocator) {
        Objects.requireNonNull(allocator);
        return withOnlyOutput(only -> only.optAllocator(allocator));
    }

    /**
     * Several renditions of each selected frame, from one decode: frame {@code i} is scaled once for every output
     * that {@linkplain FrameOutput#wants wants} it, in the order given, and each rendition is emitted as a
     * {@link VideoFrame} of its own whose {@link VideoFrame#output()} is the output's position in {@code outputs}.
     * The renditions of one frame are emitted one after the other, before any of the next frame's. A frame no output
     * wants is not selected (and, where the stream allows, neither decoded nor fetched); {@link #optMaxFrames} counts
     * frames, not renditions. One output of the source format with the pooled allocator by default.
     */
    public VideoDecoder optOutputs(List<FrameOutput> outputs) {
        requireArgument(!outputs.isEmpty(), "at least one output");
        List<FrameOutput> copy = List.copyOf(outputs);
        return with(s -> s.outputs = copy);
    }

    /** GPU decoding; {@link HwAccel#AUTO} by default. */
    public VideoDecoder optHwAccel(HwAccel hwAccel) {
        return with(s -> s.hwAccel = Objects.requireNonNull(hwAccel));
    }

    /** Observer of each decode's events and counts; none by default. */
    public VideoDecoder optListener(DecodeListener listener) {
        return with(s -> s.listener = Objects.requireNonNull(listener));
    }

    /**
     * Source chunks requested ahead of FFmpeg's reads (default 4). More smooths a bursty network; fewer wastes less on
     * a jump (an MP4 with its index at the end), since chunks already requested are dropped then.
     */
    public VideoDecoder optPrefetchChunks(int chunks) {
        requireArgument(chunks >= 1, "prefetch must be >= 1 chunk");
        return with(s -> s.prefetchChunks = chunks);
    }

    /**
     * Time each subscription may take, from subscription to the last frame; when it passes FFmpeg is interrupted,
     * everything is freed and the flux errors with {@link DecodeTimeoutException}. None by default.
     */
    public VideoDecoder optDeadline(Duration deadline) {
        requireArgument(deadline == null || deadline.toNanos() > 0, "deadline must be > 0");
        return with(s -> s.deadline = deadline);
    }

    /**
     * Whether a stream that ends early errors with {@link TruncatedMediaException} after its last decodable frame
     * (true, the default) or completes (false).
     */
    public VideoDecoder optFailOnTruncation(boolean fail) {
        return with(s -> s.failOnTruncation = fail);
    }

    /**
     * How {@link #decode(URI)} turns an URI into a {@link ByteSource}: by default {@link ByteSource#open} with default
     * {@link HttpSettings} ({@link HttpSource} for http and https, {@link dev.reelflux.core.FileSource} for
     * {@code file:}). Plug in your own {@link HttpSettings} (pool, timeouts, accounting) here:
     * {@code optSources(uri -> ByteSource.open(uri, mySettings))}.
     */
    public VideoDecoder optSources(Function<URI, ByteSource> sources) {
        return with(s -> s.sources = Objects.requireNonNull(sources));
    }

    public int threads() {
        return settings.threads;
    }

    public ThreadType threadType() {
        return settings.threadType;
    }

    /** Probe size in bytes, or -1 for FFmpeg's default. */
    public long probeSize() {
        return settings.probeSize;
    }

    /** Analyze duration, or {@code null} for FFmpeg's default. */
    public Duration analyzeDuration() {
        return settings.analyzeDuration;
    }

    /** Fps probe size in frames, or -1 for FFmpeg's default. */
    public int fpsProbeSize() {
        return settings.fpsProbeSize;
    }

    public boolean skipStreamInfo() {
        return settings.skipStreamInfo;
    }

    public int stride() {
        return settings.stride;
    }

    /** Target frame rate, or 0 when off. */
    public double targetFps() {
        return settings.targetFps;
    }

    /** Frame limit, {@link Long#MAX_VALUE} when unlimited. */
    public long maxFrames() {
        return settings.maxFrames;
    }

    public boolean keyframesOnly() {
        return settings.keyframesOnly;
    }

    /** The index filter, or {@code null}. */
    public LongPredicate frameFilter() {
        return settings.frameFilter;
    }

    public boolean skipUnselected() {
        return settings.skipUnselected;
    }

    /** The format of the first output (the only one unless {@link #optOutputs} set several). */
    public FrameFormat output() {
        return settings.outputs.get(0).format();
    }

    /** The allocator of the first output (the only one unless {@link #optOutputs} set several). */
    public FrameAllocator allocator() {
        return settings.outputs.get(0).allocator();
    }

    /** Every output, in emission order. */
    public List<FrameOutput> outputs() {
        return settings.outputs;
    }

    public HwAccel hwAccel() {
        return settings.hwAccel;
    }

    public DecodeListener listener() {
        return settings.listener;
    }

    public int prefetchChunks() {
        return settings.prefetchChunks;
    }

    /** The deadline, or {@code null}. */
    public Duration deadline() {
        return settings.deadline;
    }

    public boolean failOnTruncation() {
        return settings.failOnTruncation;
    }

    private VideoDecoder with(Consumer<Settings> change) {
        return new VideoDecoder(settings.with(change));
    }

    private VideoDecoder withOnlyOutput(UnaryOperator<FrameOutput> change) {
        if (settings.outputs.size() != 1) {
            throw new IllegalStateException("the decoder has " + settings.outputs.size()
                    + " outputs: set them with optOutputs");
        }
        List<FrameOutput> changed = List.of(change.apply(settings.outputs.get(0)));
        return with(s -> s.outputs = changed);
    }

    private static void requireArgument(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static final class Settings extends Values<Settings> {
        private int threads;
        private ThreadType threadType = ThreadType.AUTO;
        private long probeSize = -1;
        private Duration analyzeDuration;
        private int fpsProbeSize = -1;
        private boolean skipStreamInfo = true;
        private int stride = 1;
        private double targetFps;
        private long maxFrames = Long.MAX_VALUE;
        private boolean keyframesOnly;
        private LongPredicate frameFilter;
        private boolean skipUnselected = true;
        private List<FrameOutput> outputs = List.of(FrameOutput.of(FrameFormat.source()));
        private HwAccel hwAccel = HwAccel.AUTO;
        private DecodeListener listener = DecodeListener.NONE;
        private int prefetchChunks = 4;
        private Duration deadline;
        private boolean failOnTruncation = true;
        private Function<URI, ByteSource> sources = DEFAULT_SOURCES;
    }
}
