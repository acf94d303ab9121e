package dev.reelflux.decoders.internal;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.SourceInfo;
import dev.reelflux.decoders.InvalidMediaException;
import dev.reelflux.decoders.NoVideoStreamException;
import dev.reelflux.decoders.SeekNotSupportedException;
import dev.reelflux.decoders.StreamInfo;
import dev.reelflux.decoders.TruncatedMediaException;
import dev.reelflux.decoders.UnsupportedMediaException;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.VideoFrame;
import dev.reelflux.decoders.internal.GopPlan.Sample;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIndexEntry;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.util.context.Context;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONKEY;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_NONE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_CORRUPT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_TS_DISCONT;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_index_get_entries_count;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_DEMUXER_NOT_FOUND;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_INVALIDDATA;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_PATCHWELCOME;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NB;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

/**
 * One decode: owns every FFmpeg context it uses (the source read, the AVIO context and its buffer, the format
 * context, the {@link VideoCodec} with its CUDA device and frames, the packet, the scaler), demuxes, decodes, selects
 * and converts, and hands each frame to a {@link Downstream}.
 *
 * <p>Created, run and closed on the decode thread only. {@link #close()} frees what was built, in reverse order,
 * exactly once; it tolerates a session that failed half way through {@link #open()}.
 */
public final class DecoderSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DecoderSession.class);
    private static final AtomicInteger OPEN = new AtomicInteger();
    /** {@code AV_FRAME_FLAG_KEY}, a macro the bindings leave out. */
    private static final int FRAME_FLAG_KEY = 1 << 1;
    /** Named once: asking FFmpeg for every frame's pixel format name made two objects per frame. */
    private static final String[] PIXEL_FORMAT_NAMES = namePixelFormats();
    /**
     * Codecs whose MP4 samples the demuxer hands over as stored, so that the zeros read for a sample left out stay in
     * its own packet, which is dropped.
     */
    private static final Set<Integer> PLANNED_CODECS = Set.of(AV_CODEC_ID_H264, AV_CODEC_ID_HEVC, AV_CODEC_ID_MPEG4,
            AV_CODEC_ID_VP8, AV_CODEC_ID_VP9, AV_CODEC_ID_AV1);

    private final VideoDecoder spec;
    private final ByteSource source;
    private final StopSignal signal;
    private final Counters counters;
    private final Context context;
    private final MatroskaSegmentEnd matroskaEnd = new MatroskaSegmentEnd();
    /** Whether decode order is known to be display order (no B-frames). */
    private boolean inDisplayOrder;
    private boolean streamInfoRead;
    /** The MP4 track's samples when a plan may leave some out, else empty. */
    private List<Sample> samples = List.of();
    /** The sparse read of a thinned selection, planned at the first video packet and at each key sample after. */
    private SparseReads sparse;
    /** The samples being read: the others are neither fetched nor decoded. */
    private GopPlan gops;

    private ChunkStream chunks;
    private AvioBridge bridge;
    private SourceInfo sourceInfo;
    private AVFormatContext format;
    private VideoCodec codec;
    private AVPacket packet;
    /** One per output, in the spec's order. */
    private List<FrameConverter> converters = List.of();
    private boolean closed;

    private AVStream stream;
    private int streamIndex;
    private StreamInfo info;
    private FrameClock clock;
    private FrameSelector selector;
    private boolean indexByTime;

    /** Where a session puts its frames. */
    interface Downstream {

        /** Returns once a frame may be emitted. @throws Stopped when the decode is stopped while waiting */
        void awaitDemand();

        /** Hands a frame on; the receiver owns it. */
        void emit(VideoFrame frame);
    }

    DecoderSession(VideoDecoder spec, ByteSource source, StopSignal signal, Counters counters, Context context) {
        this.spec = spec;
        this.source = source;
        this.signal = signal;
        this.counters = counters;
        this.context = context;
        OPEN.incrementAndGet();
    }

    /** Sessions created and not yet closed, in this process: tests use it to prove nothing is left open. */
    public static int openSessions() {
        return OPEN.get();
    }

    /**
     * Starts reading the source, opens the container and the decoder.
     *
     * @return what the stream is
     * @throws Stopped when the decode is stopped meanwhile
     */
    StreamInfo open() {
        FFmpegLog.install();
        chunks = new ChunkStream(source, spec.prefetchChunks(), 2L * AvioBridge.BUFFER_SIZE, signal, counters,
                context);
        chunks.inspectWith(matroskaEnd);
        MoovCapture moov = new MoovCapture();
        chunks.inspectWith(moov);
        chunks.open(0);
        SourceInfo known = MonoAwait.value(source.info(), signal, context);
        sourceInfo = known != null ? known : new SourceInfo(ByteSource.UNKNOWN_SIZE, false, null);
        chunks.size(sourceInfo.size());
        if (!sourceInfo.rangesSupported()) {
            chunks.inspectWith(new MoovAtEndDetector());
        }
        bridge = new AvioBridge(chunks, sourceInfo, signal, counters, spec.listener());
        openContainer();
        codec = VideoCodec.open(stream, spec);
        packet = av_packet_alloc();
        if (packet == null) {
            throw DecodeErrors.outOfMemory("open", "allocating a packet");
        }
        converters = spec.outputs().stream()
                .map(output -> new FrameConverter(output.format(), output.allocator())).toList();
        clock = new FrameClock(stream, timestampsMayJump());
        selector = new FrameSelector(spec, clock.fps());
        if (!clock.canIndexByTime() && (spec.keyframesOnly() || spec.targetFps() > 0)) {
            LOG.warn("{} declares no frame rate: frame numbers count decoded frames and the target fps is ignored",
                    source.uri());
        }
        indexByTime = clock.canIndexByTime()
                && (spec.keyframesOnly() || (spec.skipUnselected() && selector.thins()));
        // Only with a known size (the end of the plan must not look like the end of the file), and only from a
        // complete index (a fragmented MP4 indexes each fragment as it comes).
        boolean plannable = sourceInfo.rangesSupported() && sourceInfo.size() >= 0 && isMp4()
                && PLANNED_CODECS.contains(stream.codecpar().codec_id())
                && stream.nb_frames() > 0 && avformat_index_get_entries_count(stream) == stream.nb_frames();
        ByteBuffer moovBody = moov.take();
        if (plannable && moovBody != null) {
            SampleTable table = SampleTable.parse(moovBody, stream.id(), avformat_index_get_entries_count(stream));
            samples = TrackSamples.of(stream, table, sourceInfo.size());
        }
        if (spec.keyframesOnly()) {
            skipToKeySamples();
        }
        if (!samples.isEmpty() && !spec.keyframesOnly() && spec.skipUnselected() && indexByTime) {
            sparse = new SparseReads(samples, pts -> selector.wants(clock.indexAt(pts)), chunks,
                    bridge::seekDirectly);
        }
        info = streamInfo();
        return info;
    }

    private StreamInfo streamInfo() {
        return new StreamInfo(containerName(), VideoCodec.codecName(stream.codecpar().codec_id()),
                codec.decoderName(), codec.hwAccel(), stream.codecpar().width(), stream.codecpar().height(),
                clock.fps(), stream.nb_frames() > 0 ? stream.nb_frames() : -1, declaredDuration(),
                stream.time_base().num(), stream.time_base().den(), clock.start());
    }

    /**
     * A stream of its own starts in the source ({@link ChunkStream#atStreamEnd}: an HLS stream's new fragmented-MP4
     * init section, whose codec parameters the demuxer of the stream before would not take up): the demuxer and the
     * decoder start again on it, frame numbers and times going on from the stream before.
     */
    private void startNextStream() {
        codec.close();
        codec = null;
        avformat_close_input(format);
        format = null;
        bridge.close();
        bridge = null;
        // What the stream before learnt does not hold for this one; neither has an index to plan reads by.
        streamInfoRead = false;
        sparse = null;
        gops = null;
        chunks.startNextStream();
        bridge = new AvioBridge(chunks, sourceInfo, signal, counters, spec.listener());
        openContainer();
        codec = VideoCodec.open(stream, spec);
        clock = clock.followedBy(stream, timestampsMayJump());
        if (spec.keyframesOnly()) {
            skipToKeySamples();
        }
        info = streamInfo();
        LOG.debug("{}: a new stream starts at byte {}: {}", source.uri(), chunks.position(), info);
    }

    private boolean timestampsMayJump() {
        return (format.iformat().flags() & AVFMT_TS_DISCONT) != 0;
    }

    private void openContainer() {
        format = avformat_alloc_context();
        if (format == null || format.isNull()) {
            format = null;
            throw DecodeErrors.outOfMemory("open", "allocating the format context");
        }
        bridge.attach(format);
        if (spec.probeSize() > 0) {
            format.probesize(spec.probeSize());
            format.format_probesize((int) Math.min(spec.probeSize(), Integer.MAX_VALUE));
        }
        if (spec.analyzeDuration() != null) {
            format.max_analyze_duration(spec.analyzeDuration().toNanos() / 1000);
        }
        if (spec.fpsProbeSize() >= 0) {
            format.fps_probe_size(spec.fpsProbeSize());
        }
        int ret = avformat_open_input(format, (String) null, null, (AVDictionary) null);
        if (ret < 0) {
            // avformat_open_input frees a caller's context when it fails (the custom AVIO stays ours).
            format = null;
            throw openFailed(ret);
        }
        streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (PointerPointer<?>) null, 0);
        if (!spec.skipStreamInfo() || streamIndex < 0 || !headerComplete(format.streams(streamIndex))) {
            streamInfoRead = true;
            ret = avformat_find_stream_info(format, (PointerPointer<?>) null);
            if (ret < 0) {
                throw openFailed(ret);
            }
            streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (PointerPointer<?>) null, 0);
        }
        if (streamIndex < 0) {
            // A source that broke inside the header leaves FFmpeg without a stream: the break is the reason.
            throwSourceFailure();
            throw new NoVideoStreamException("open", "the " + containerName() + " container holds no video stream",
                    streamIndex, FFmpegErrors.describe(streamIndex), null);
        }
        stream = format.streams(streamIndex);
        // The MP4 demuxer mis-stamps the keyframes it keeps when it drops the samples between them and the track has
        // composition offsets (B-frames): each keeps the pts offset of a dropped sample. Without a plan the decoder
        // alone then skips non-key frames (their bytes are still read). The demuxer works out the reordering delay of
        // H.264 from the composition offsets, VP8, VP9 and AV1 never reorder; for other codecs only
        // avformat_find_stream_info finds out, so without it assume the worst.
        int codecId = stream.codecpar().codec_id();
        boolean delayKnown = streamInfoRead || codecId == AV_CODEC_ID_H264 || codecId == AV_CODEC_ID_VP8
                || codecId == AV_CODEC_ID_VP9 || codecId == AV_CODEC_ID_AV1;
        inDisplayOrder = delayKnown && stream.codecpar().video_delay() == 0;
        for (int i = 0; i < format.nb_streams(); i++) {
            format.streams(i).discard(i != streamIndex ? AVDISCARD_ALL : AVDISCARD_DEFAULT);
        }
    }

    /**
     * Keyframes only: reads just the key samples when the index allows a plan. The demuxer then still goes through
     * every sample, whose packets are dropped. Else the demuxer skips the samples between key samples, unless that
     * would mis-stamp the ones it keeps, or the source has no ranges: every byte is read then anyway, and the packets
     * the decoder skips still move the clock on, which a stream that follows in the source goes on from
     * ({@link FrameClock#followedBy}).
     */
    private void skipToKeySamples() {
        GopPlan keys = samples.isEmpty() ? null : GopPlan.keyframes(samples);
        if (keys != null && !keys.isEmpty()) {
            chunks.plan(keys.reads(SparseReads.MAX_GAP));
            gops = keys;
        } else if (sourceInfo.rangesSupported() && (inDisplayOrder || !isMp4())) {
            stream.discard(AVDISCARD_NONKEY);
        }
        bridge.seekDirectly();
    }

    /** Whether the container header alone gives what decoding and numbering frames need. */
    private static boolean headerComplete(AVStream candidate) {
        AVCodecParameters parameters = candidate.codecpar();
        return parameters.codec_id() != AV_CODEC_ID_NONE && parameters.width() > 0 && parameters.height() > 0
                && FrameClock.frameRate(candidate) > 0;
    }

    private Duration declaredDuration() {
        double seconds = stream.duration() != AV_NOPTS_VALUE ? stream.duration() * av_q2d(stream.time_base())
                : format.duration() != AV_NOPTS_VALUE ? format.duration() / (double) AV_TIME_BASE : -1;
        return seconds < 0 ? null : Duration.ofNanos(Math.round(seconds * 1e9));
    }

    /**
     * Demuxes, decodes and emits until the end of the stream or the frame limit.
     *
     * @throws Stopped when the decode is stopped
     */
    void run(Downstream out) {
        if (selector.full(0)) {
            return;
        }
        long lastPos = -1;
        for (;;) {
            // A sample the plan leaves out reads as zeros, which a parser inside the demuxer complains about.
            int ret = gops != null && !gops.needsNext(lastPos)
                    ? FFmpegLog.quietlyOnThisThread(() -> av_read_frame(format, packet))
                    : av_read_frame(format, packet);
            if (ret < 0 && chunks.atStreamEnd() && bridge.failure() == null) {
                if (!drain(out)) {
                    return;
                }
                startNextStream();
                lastPos = -1;
                continue;
            }
            if (ret < 0) {
                finish(ret, out);
                return;
            }
            try {
                if (packet.stream_index() == streamIndex) {
                    lastPos = packet.pos();
                    if (!decode(packet, out)) {
                        return;
                    }
                }
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    /** Sends one packet and emits the frames it completes; false once the frame limit was reached. */
    private boolean decode(AVPacket input, Downstream out) {
        if ((input.flags() & AV_PKT_FLAG_CORRUPT) != 0) {
            // A read cut short by a cancel or a source error also ends in a packet flagged corrupt: not bad data.
            signal.check();
            if (bridge.failure() != null) {
                return true;
            }
            corrupt("the demuxer flagged a packet at byte " + input.pos() + " as corrupt");
            // MPEG-TS flags the packet a continuity counter broke in, and joined segments (HLS, a spliced capture)
            // break it at every seam around whole packets: those go to the decoder, whose own error resilience
            // deals with packets really damaged, as FFmpeg's command line does. Elsewhere the flag means lost data.
            if (!clock.mayJump()) {
                return true;
            }
        }
        clock.continueAcrossJumps(input);
        clock.observe(input);
        if (sparse != null) {
            gops = sparse.packet(input.pos(), input.pts(), (input.flags() & AV_PKT_FLAG_KEY) != 0);
        }
        if (gops != null && !gops.needs(input.pos())) {
            // A sample the plan left out: its bytes were never fetched.
            return true;
        }
        if (indexByTime && input.pts() != AV_NOPTS_VALUE) {
            codec.want(selector.wants(clock.indexAt(input.pts())));
        }
        for (;;) {
            int ret = codec.send(input);
            if (ret == FFmpegErrors.EAGAIN) {
                if (!receive(out)) {
                    return false;
                }
                continue;
            }
            if (ret == AVERROR_INVALIDDATA) {
                corrupt("the decoder rejected a packet at byte " + input.pos() + ": " + FFmpegErrors.describe(ret));
                return true;
            }
            check(ret, "decode", "sending a packet to the decoder");
            return receive(out);
        }
    }

    /** Emits every frame the decoder has ready; false once the frame limit was reached. */
    private boolean receive(Downstream out) {
        for (;;) {
            int ret = codec.receive();
            if (ret == FFmpegErrors.EAGAIN || ret == AVERROR_EOF) {
                return true;
            }
            if (ret == AVERROR_INVALIDDATA) {
                corrupt("the decoder could not decode a frame: " + FFmpegErrors.describe(ret));
                continue;
            }
            check(ret, "decode", "receiving a frame from the decoder");
            try {
                if (!emit(codec.frame(), out)) {
                    return false;
                }
            } finally {
                codec.release();
            }
        }
    }

    private boolean emit(AVFrame decoded, Downstream out) {
        if (selector.full(counters.framesEmitted)) {
            return false;
        }
        counters.framesDecoded++;
        long pts = decoded.best_effort_timestamp();
        long index = clock.next(pts, indexByTime);
        boolean keyframe = (decoded.flags() & FRAME_FLAG_KEY) != 0;
        boolean selected = selector.select(index, keyframe);
        Listeners.frameDecoded(spec.listener(), index, selected);
        if (!selected) {
            return true;
        }
        counters.framesSelected++;
        AVFrame picture = null;
        for (int output = 0; output < converters.size(); output++) {
            if (!spec.outputs().get(output).wants(index)) {
                continue;
            }
            out.awaitDemand();
            if (picture == null) {
                picture = codec.pictureInSystemMemory();
            }
            FrameConverter converter = converters.get(output);
            FrameConverter.Converted converted = converter.convert(picture);
            out.emit(FrameAccess.create(info, index, pts, clock.seconds(pts, index), keyframe, converter.format(),
                    converted.letterbox(), pixelFormatName(picture.format()), converted.planes(),
                    converted.region(), output));
        }
        counters.framesEmitted++;
        if (counters.firstFrameNanos < 0) {
            counters.firstFrameNanos = counters.sinceStart();
        }
        Listeners.frameEmitted(spec.listener(), index);
        return !selector.full(counters.framesEmitted);
    }

    /**
     * The demuxer stopped with {@code ret}: drain the decoder (frames it still holds are good, FACTS 8), then decide
     * whether that was the end of the stream or a failure.
     */
    private void finish(int ret, Downstream out) {
        if (!drain(out)) {
            return;
        }
        if (bridge.failure() != null) {
            throw Exceptions.propagate(bridge.failure());
        }
        if (ret != AVERROR_EOF && bridge.refusedSeek() >= 0) {
            throw new SeekNotSupportedException("demux", "the " + containerName() + " container needs to jump to byte "
                    + bridge.refusedSeek() + ", but the source does not serve byte ranges", ret,
                    FFmpegErrors.describe(ret), null);
        }
        String truncation = ret == AVERROR_EOF ? truncation() : "the demuxer stopped with an error";
        if (truncation == null) {
            return;
        }
        if (spec.failOnTruncation()) {
            throw new TruncatedMediaException("demux", "the stream ends early: " + truncation + " after "
                    + counters.framesDecoded + " decoded frames", ret, FFmpegErrors.describe(ret), null);
        }
        LOG.debug("{} ends early ({}); completing as configured", source.uri(), truncation);
    }

    /** Emits the frames the decoder still holds, which are good (FACTS 8); false once the frame limit was reached. */
    private boolean drain(Downstream out) {
        signal.check();
        int flushed = codec.send(null);
        if (flushed < 0 && flushed != AVERROR_EOF) {
            check(flushed, "decode", "flushing the decoder");
        }
        return receive(out);
    }

    /**
     * Why a stream whose demuxer reached the end looks cut short, or {@code null} when it looks whole: the container
     * indexes frames past the end of the source (MP4, whose index comes before the data it describes), or a Matroska
     * segment declares more bytes than the source has. MPEG-TS declares nothing, so a cut TS ends like a short one.
     */
    private String truncation() {
        long end = chunks.knownEnd();
        if (end < 0) {
            return null;
        }
        AVIndexEntry entry = TrackSamples.index(stream);
        for (int i = avformat_index_get_entries_count(stream) - 1; i >= 0; i--) {
            entry.position(i);
            long at = bridge.base() + entry.pos();
            if (at + entry.size() > end) {
                return "the container indexes a frame at bytes " + at + ".." + (at + entry.size())
                        + " but the source ends at byte " + end;
            }
        }
        long declared = matroskaEnd.declaredEnd();
        if (declared > end) {
            return "the Matroska segment ends at byte " + declared + " but the source ends at byte " + end;
        }
        return null;
    }

    private void corrupt(String reason) {
        counters.corruptPackets++;
        LOG.debug("{}: {}", source.uri(), reason);
        Listeners.corruptPacket(spec.listener(), reason);
    }

    /** Throws what stopped the session (a cancel, a deadline) or broke the source, if anything did. */
    private void throwSourceFailure() {
        signal.check();
        if (bridge.failure() != null) {
            throw Exceptions.propagate(bridge.failure());
        }
    }

    /** The error for a failed {@code avformat_open_input} or {@code avformat_find_stream_info}. */
    private RuntimeException openFailed(int ret) {
        throwSourceFailure();
        if (bridge.refusedSeek() >= 0) {
            return new SeekNotSupportedException("open", "the container needs to jump to byte " + bridge.refusedSeek()
                    + ", but the source does not serve byte ranges", ret, FFmpegErrors.describe(ret), null);
        }
        if (counters.bytesRead == 0 && (ret == AVERROR_EOF || ret == AVERROR_INVALIDDATA)) {
            return new InvalidMediaException("open", "the source is empty", ret, FFmpegErrors.describe(ret), null);
        }
        if (ret == AVERROR_INVALIDDATA || ret == AVERROR_EOF) {
            return new InvalidMediaException("open", "the bytes are not a video container FFmpeg can read", ret,
                    FFmpegErrors.describe(ret), null);
        }
        if (ret == AVERROR_DEMUXER_NOT_FOUND || ret == AVERROR_PATCHWELCOME || ret == FFmpegErrors.ENOSYS) {
            return new UnsupportedMediaException("open", "this FFmpeg build cannot read the container", ret,
                    FFmpegErrors.describe(ret), null);
        }
        return DecodeErrors.failed("open", "opening the container", ret);
    }

    private void check(int ret, String stage, String what) {
        if (ret < 0) {
            signal.check();
            throw DecodeErrors.failed(stage, what, ret);
        }
    }

    private boolean isMp4() {
        return containerName().startsWith("mov,");
    }

    private String containerName() {
        return format != null && format.iformat() != null ? format.iformat().name().getString() : "unknown";
    }

    /** The pixel format's FFmpeg name, or its number for one this build does not name. */
    private static String pixelFormatName(int pixelFormat) {
        String name = pixelFormat >= 0 && pixelFormat < PIXEL_FORMAT_NAMES.length ? PIXEL_FORMAT_NAMES[pixelFormat]
                : null;
        return name != null ? name : String.valueOf(pixelFormat);
    }

    private static String[] namePixelFormats() {
        String[] names = new String[AV_PIX_FMT_NB];
        for (int pixelFormat = 0; pixelFormat < names.length; pixelFormat++) {
            BytePointer name = av_get_pix_fmt_name(pixelFormat);
            names[pixelFormat] = name == null || name.isNull() ? null : name.getString();
        }
        return names;
    }

    /**
     * Frees everything, newest first: the scaler, the packet, the codec (which joins its threads and releases the
     * CUDA device), the format context, the AVIO context and its buffer, and the source read. Idempotent; never
     * called while a native call runs, since it runs on the decode thread after the last one returned.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        converters.forEach(FrameConverter::close);
        if (packet != null) {
            av_packet_free(packet);
        }
        if (codec != null) {
            codec.close();
        }
        if (format != null) {
            avformat_close_input(format);
        }
        if (bridge != null) {
            bridge.close();
        }
        if (chunks != null) {
            chunks.close();
        }
        OPEN.decrementAndGet();
    }
}
