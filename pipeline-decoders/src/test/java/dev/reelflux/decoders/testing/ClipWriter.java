package dev.reelflux.decoders.testing;

import dev.reelflux.core.ReelfluxException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.PointerScope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ObjIntConsumer;

import static dev.reelflux.decoders.testing.FfmpegCalls.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_CLOSED_GOP;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_DISPOSABLE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PROFILE_H264_CONSTRAINED_BASELINE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_DICT_IGNORE_SUFFIX;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

/**
 * One encode-and-mux session for a {@link TestVideo}: owns the format context, its file, the encoder, one frame and
 * one packet, builds them step by step and frees whatever was built in {@link #close()}, whether or not writing got
 * through.
 */
final class ClipWriter implements AutoCloseable {

    /** Limited-range luma of black, mid-grey and white. */
    private static final int[] GREY_LEVELS = {16, 126, 235};

    private static final String STAGE = "test-video";

    static {
        av_log_set_level(AV_LOG_ERROR);
    }

    private final TestVideo spec;
    private AVFormatContext format;
    private boolean fileOpen;
    private AVCodecContext encoder;
    private AVStream stream;
    private AVFrame frame;
    private AVPacket packet;
    /** The latest display time of the packets written so far (encoder time base). */
    private long latestPts = Long.MIN_VALUE;

    private ClipWriter(TestVideo spec) {
        this.spec = spec;
    }

    /**
     * Writes {@code spec} (already validated) to {@code file}, deleting the file again if any step fails.
     *
     * @throws ReelfluxException when FFmpeg refuses a step
     */
    static void write(TestVideo spec, Path file) {
        // Frees the JavaCPP-allocated temporaries (rationals, option strings) at the end instead of at some GC.
        try (PointerScope scope = new PointerScope(); ClipWriter writer = new ClipWriter(spec)) {
            writer.open(file);
            writer.encodeAll();
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void open(Path file) {
        // "file:" keeps a colon in the name from being read as a protocol prefix.
        String url = "file:" + file.toAbsolutePath();
        TestVideo.Container container = spec.container();
        format = new AVFormatContext(null);
        FfmpegCalls.check(avformat_alloc_output_context2(format, null, container.formatName(), url), STAGE,
                "avformat_alloc_output_context2(" + container.formatName() + ")");

        AVCodec codec = avcodec_find_encoder_by_name(spec.codec().encoderName());
        if (codec == null) {
            throw new ReelfluxException(STAGE, "encoder " + spec.codec().encoderName() + " is not in this FFmpeg build",
                    null);
        }
        stream = avformat_new_stream(format, null);
        if (stream == null) {
            throw new ReelfluxException(STAGE, "avformat_new_stream failed", null);
        }
        encoder = avcodec_alloc_context3(codec);
        if (encoder == null) {
            throw new ReelfluxException(STAGE, "avcodec_alloc_context3 failed", null);
        }
        configureEncoder();
        openEncoder(codec);
        FfmpegCalls.check(avcodec_parameters_from_context(stream.codecpar(), encoder), STAGE,
                "avcodec_parameters_from_context");
        // A request only: muxers pick their own (MPEG-TS 1/90000, Matroska 1/1000), hence the rescale per packet.
        stream.time_base(encoder.time_base());
        stream.avg_frame_rate(encoder.framerate());

        if ((format.oformat().flags() & AVFMT_NOFILE) == 0) {
            AVIOContext pb = new AVIOContext(null);
            FfmpegCalls.check(avio_open(pb, url, AVIO_FLAG_WRITE), STAGE, "avio_open(" + file + ")");
            format.pb(pb);
            fileOpen = true;
        }
        Map<String, String> muxerOptions = new LinkedHashMap<>();
        muxerOptions.putAll(container.muxerOptions());
        if (container == TestVideo.Container.HLS_AES_128) {
            muxerOptions.put("hls_key_info_file", keyInfo(file.toAbsolutePath().getParent()).toString());
        }
        withOptions(muxerOptions, "avformat_write_header",
                options -> FfmpegCalls.check(avformat_write_header(format, options), STAGE, "avformat_write_header"));

        frame = av_frame_alloc();
        packet = av_packet_alloc();
        if (frame == null || packet == null) {
            throw new ReelfluxException(STAGE, "av_frame_alloc/av_packet_alloc failed", null);
        }
        frame.format(AV_PIX_FMT_YUV420P).width(spec.width()).height(spec.height());
        FfmpegCalls.check(av_frame_get_buffer(frame, 0), STAGE, "av_frame_get_buffer");
    }

    private void configureEncoder() {
        encoder.width(spec.width()).height(spec.height()).pix_fmt(AV_PIX_FMT_YUV420P)
                .time_base(av_make_q(1, spec.fps())).framerate(av_make_q(spec.fps(), 1))
                .bit_rate(spec.bitrate()).gop_size(spec.gop()).keyint_min(spec.gop())
                .max_b_frames(spec.bFrames())
                // Auto: libvpx and libaom nearly double their speed on two cores; openh264 and mpeg4 do not care.
                .thread_count(0);
        if (spec.codec() == TestVideo.Codec.H264) {
            encoder.profile(AV_PROFILE_H264_CONSTRAINED_BASELINE);
        }
        if ((format.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
            // MP4 and Matroska keep SPS/PPS (or VOL, or codec config) in the stream header, not in the first packet.
            encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        if (spec.closedGops()) {
            encoder.flags(encoder.flags() | AV_CODEC_FLAG_CLOSED_GOP);
        }
    }

    private void openEncoder(AVCodec codec) {
        Map<String, String> options = new LinkedHashMap<>();
        switch (spec.codec()) {
            case MPEG4 -> options.put("sc_threshold", "1000000000"); // no extra I-frames on what looks like a cut
            case VP9 -> {
                options.put("deadline", "realtime");
                options.put("cpu-used", "8");
                options.put("lag-in-frames", "0");
            }
            case AV1 -> {
                options.put("usage", "realtime");
                options.put("cpu-used", "8");
                options.put("lag-in-frames", "0");
            }
            case H264 -> {
                // libopenh264 defaults: Constrained Baseline (set above), no frame skipping, IDR every gop_size.
            }
        }
        withOptions(options, "avcodec_open2(" + spec.codec().encoderName() + ")",
                dict -> FfmpegCalls.check(avcodec_open2(encoder, codec, dict), STAGE,
                        "avcodec_open2(" + spec.codec().encoderName() + ")"));
    }

    private void encodeAll() {
        ObjIntConsumer<YuvCanvas> scene = switch (spec.scene()) {
            case STAMPED_PATTERN -> new PatternScene(spec.width())::draw;
            case BALL -> BallScene::draw;
            case GREY_LEVELS -> (canvas, i) -> canvas.fillRect(0, 0, spec.width(), spec.height(),
                    GREY_LEVELS[i % GREY_LEVELS.length], 128, 128);
        };
        for (int i = 0; i < spec.frames(); i++) {
            // The encoder may still hold a reference to the previous picture (B-frame look-ahead): never draw over it.
            FfmpegCalls.check(av_frame_make_writable(frame), STAGE, "av_frame_make_writable");
            YuvCanvas canvas = YuvCanvas.of(frame);
            scene.accept(canvas, i);
            if (spec.grain() > 0) {
                canvas.addGrain(spec.grain(), new SplittableRandom(i));
            }
            if (spec.stamped()) {
                FrameStamp.draw(canvas, i);
            }
            frame.pts(i);
            // Forcing I at exactly the GOP boundaries makes every encoder agree with expectedKeyframes().
            frame.pict_type(i % spec.gop() == 0 ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
            FfmpegCalls.check(avcodec_send_frame(encoder, frame), STAGE, "avcodec_send_frame");
            drain();
        }
        FfmpegCalls.check(avcodec_send_frame(encoder, null), STAGE, "avcodec_send_frame(flush)");
        drain();
        FfmpegCalls.check(av_write_trailer(format), STAGE, "av_write_trailer");
    }

    /** Moves every packet the encoder has ready into the muxer. */
    private void drain() {
        while (true) {
            int ret = avcodec_receive_packet(encoder, packet);
            if (ret == AVERROR_EAGAIN || ret == AVERROR_EOF) {
                return;
            }
            FfmpegCalls.check(ret, STAGE, "avcodec_receive_packet");
            packet.stream_index(stream.index());
            if (spec.dependencyMarks() && packet.pts() < latestPts) {
                // Shown before a frame decoded earlier: an MPEG-4 B-frame, which no frame refers to.
                packet.flags(packet.flags() | AV_PKT_FLAG_DISPOSABLE);
            }
            latestPts = Math.max(latestPts, packet.pts());
            av_packet_rescale_ts(packet, encoder.time_base(), stream.time_base());
            // Takes over the packet's data and leaves it blank for the next receive.
            FfmpegCalls.check(av_interleaved_write_frame(format, packet), STAGE, "av_interleaved_write_frame");
        }
    }

    @FunctionalInterface
    private interface DictionaryCall {
        void call(AVDictionary options);
    }

    /**
     * Runs {@code call} with {@code entries} as an {@code AVDictionary}, then fails if FFmpeg left any entry
     * unconsumed: a misspelt or unsupported option is a bug here, not something to ignore.
     */
    private static void withOptions(Map<String, String> entries, String what, DictionaryCall call) {
        AVDictionary dict = new AVDictionary(null);
        try {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                FfmpegCalls.check(av_dict_set(dict, e.getKey(), e.getValue(), 0), STAGE, "av_dict_set(" + e.getKey()
                        + ")");
            }
            call.call(dict);
            List<String> unused = new ArrayList<>();
            AVDictionaryEntry entry = null;
            while ((entry = av_dict_get(dict, "", entry, AV_DICT_IGNORE_SUFFIX)) != null) {
                unused.add(entry.key().getString() + "=" + entry.value().getString());
            }
            if (!unused.isEmpty()) {
                throw new ReelfluxException(STAGE, what + " did not accept options " + unused, null);
            }
        } finally {
            av_dict_free(dict);
        }
    }

    @Override
    public void close() {
        // The *_free calls take a pointer to the pointer: null Java references must not reach them.
        if (frame != null) {
            av_frame_free(frame);
        }
        if (packet != null) {
            av_packet_free(packet);
        }
        if (encoder != null) {
            avcodec_free_context(encoder);
        }
        if (fileOpen) {
            avio_closep(format.pb());
        }
        avformat_free_context(format);
    }

    /**
     * Writes {@link TestVideo.Container#HLS_KEY} beside the playlist, and the key info file the muxer reads: the URI
     * the playlist names the key by, then the key file's path.
     */
    private static Path keyInfo(Path dir) {
        try {
            Path key = Files.write(dir.resolve(TestVideo.Container.HLS_KEY_FILE), TestVideo.Container.HLS_KEY);
            return Files.writeString(dir.resolve("key-info.txt"),
                    TestVideo.Container.HLS_KEY_FILE + "\n" + key + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
