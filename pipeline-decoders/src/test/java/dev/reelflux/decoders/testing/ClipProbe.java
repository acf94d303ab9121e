package dev.reelflux.decoders.testing;

import dev.reelflux.core.ReelfluxException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.reelflux.decoders.testing.FfmpegCalls.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_profile_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.avutil.AVFrame.AV_FRAME_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_get_picture_type_char;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

/**
 * A plain reference decoder for checking clips in tests: demuxes and decodes the best video stream of a file with
 * FFmpeg's stock path (no custom I/O, no frame selection, no scaling) and reports every frame it gets.
 *
 * <p>It stands in for {@code ffprobe}: the executable bundled in the native jar links {@code libavdevice}, which needs
 * PulseAudio's {@code libpulse.so.0}, absent from build machines without a desktop.
 *
 * <p>AV1 is decoded with {@code libaom-av1}, the only software AV1 decoder in the LGPL build.
 */
public final class ClipProbe {

    private static final String STAGE = "clip-probe";

    static {
        av_log_set_level(AV_LOG_ERROR);
    }

    /**
     * One decoded frame.
     *
     * @param index     position in output (display) order, from 0
     * @param pts       best-effort presentation timestamp in stream time base units
     * @param seconds   that timestamp in seconds
     * @param keyFrame  whether the decoder flagged the frame as a keyframe ({@code AV_FRAME_FLAG_KEY})
     * @param keyPacket whether the demuxer flagged the packet with this timestamp as a keyframe ({@code
     *                  AV_PKT_FLAG_KEY}), which is what {@code AVDISCARD_NONKEY} relies on
     * @param pictType  {@code 'I'}, {@code 'P'}, {@code 'B'} and so on ({@code av_get_picture_type_char})
     * @param stamp     the {@link FrameStamp} read from its luma, or -1
     */
    public record Frame(int index, long pts, double seconds, boolean keyFrame, boolean keyPacket, char pictType,
                        int stamp) {
    }

    /**
     * What the probe found.
     *
     * @param codecName  the stream's codec as {@code avcodec_get_name} names it, e.g. {@code "h264"}
     * @param profile    the stream's profile as {@code avcodec_profile_name} names it, e.g. {@code "Constrained
     *                   Baseline"}, or {@code null} where the codec or muxer leaves it unknown
     * @param width      coded picture width from the stream parameters
     * @param height     coded picture height from the stream parameters
     * @param frameRate  the stream's {@code r_frame_rate} as a number
     * @param frames     every decoded frame, in output order
     */
    public record Result(String codecName, String profile, int width, int height, double frameRate,
                         List<Frame> frames) {

        /** Display indices of frames the decoder flagged as keyframes. */
        public List<Integer> keyFrameIndices() {
            return frames.stream().filter(Frame::keyFrame).map(Frame::index).toList();
        }

        /** Display indices of frames whose packet the demuxer flagged as a keyframe. */
        public List<Integer> keyPacketIndices() {
            return frames.stream().filter(Frame::keyPacket).map(Frame::index).toList();
        }

        /** The stamp of each frame, in output order. */
        public List<Integer> stamps() {
            return frames.stream().map(Frame::stamp).toList();
        }

        /** How many frames have picture type {@code type}. */
        public long countPictType(char type) {
            return frames.stream().filter(f -> f.pictType() == type).count();
        }
    }

    /** Receives the luma plane of each decoded frame; the buffer is only valid during the call. */
    @FunctionalInterface
    public interface LumaVisitor {

        /**
         * Called once per frame, in output order.
         *
         * @param index    the frame's position in output order
         * @param luma     the decoder's luma plane, from position 0; valid only until the call returns
         * @param linesize bytes from one row to the next
         */
        void visit(int index, ByteBuffer luma, int width, int height, int linesize);
    }

    private ClipProbe() {
    }

    /**
     * Decodes every video frame of {@code file}.
     *
     * @throws ReelfluxException (stage {@code "clip-probe"}) with the {@code av_strerror} text when FFmpeg fails
     */
    public static Result probe(Path file) {
        return probe(file, (index, luma, width, height, linesize) -> { });
    }

    /**
     * Decodes every video frame of {@code file}, handing each frame's luma to {@code visitor}.
     *
     * @throws ReelfluxException (stage {@code "clip-probe"}) with the {@code av_strerror} text when FFmpeg fails, or
     *         when a frame is not 8-bit YUV 4:2:0
     */
    public static Result probe(Path file, LumaVisitor visitor) {
        AVFormatContext format = new AVFormatContext(null);
        AVCodecContext decoder = null;
        AVPacket packet = null;
        AVFrame frame = null;
        try (PointerScope scope = new PointerScope()) {
            FfmpegCalls.check(avformat_open_input(format, "file:" + file.toAbsolutePath(), null, null), STAGE,
                    "avformat_open_input(" + file + ")");
            FfmpegCalls.check(avformat_find_stream_info(format, (AVDictionary) null),
                    STAGE, "avformat_find_stream_info");
            int streamIndex = FfmpegCalls.check(
                    av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0), STAGE,
                    "av_find_best_stream");
            for (int i = 0; i < format.nb_streams(); i++) {
                if (i != streamIndex) {
                    format.streams(i).discard(AVDISCARD_ALL);
                }
            }
            AVStream stream = format.streams(streamIndex);
            int codecId = stream.codecpar().codec_id();
            // The native "av1" decoder only drives hardware; libaom-av1 is the software one in this build.
            AVCodec codec = codecId == AV_CODEC_ID_AV1
                    ? avcodec_find_decoder_by_name("libaom-av1")
                    : avcodec_find_decoder(codecId);
            if (codec == null) {
                throw new ReelfluxException(STAGE, "no decoder for codec id " + codecId, null);
            }
            decoder = avcodec_alloc_context3(codec);
            packet = av_packet_alloc();
            frame = av_frame_alloc();
            if (decoder == null || packet == null || frame == null) {
                throw new ReelfluxException(STAGE, "allocation failed", null);
            }
            FfmpegCalls.check(avcodec_parameters_to_context(decoder, stream.codecpar()), STAGE,
                    "avcodec_parameters_to_context");
            decoder.pkt_timebase(stream.time_base());
            FfmpegCalls.check(avcodec_open2(decoder, codec, (AVDictionary) null), STAGE,
                    "avcodec_open2(" + codec.name().getString() + ")");

            Decoding run = new Decoding(decoder, frame, stream.time_base(), visitor);
            while (true) {
                int ret = av_read_frame(format, packet);
                if (ret == AVERROR_EOF) {
                    break;
                }
                FfmpegCalls.check(ret, STAGE, "av_read_frame");
                try {
                    if (packet.stream_index() == streamIndex) {
                        if ((packet.flags() & AV_PKT_FLAG_KEY) != 0) {
                            run.keyPacketPts.add(packet.pts());
                        }
                        FfmpegCalls.check(avcodec_send_packet(decoder, packet), STAGE, "avcodec_send_packet");
                        run.receive();
                    }
                } finally {
                    av_packet_unref(packet);
                }
            }
            // Without the flush the frames still held for reordering (B-frames, frame threads) are lost.
            FfmpegCalls.check(avcodec_send_packet(decoder, null), STAGE, "avcodec_send_packet(flush)");
            run.receive();
            BytePointer profile = avcodec_profile_name(codecId, stream.codecpar().profile());
            return new Result(avcodec_get_name(codecId).getString(), profile == null ? null : profile.getString(),
                    stream.codecpar().width(), stream.codecpar().height(), av_q2d(stream.r_frame_rate()),
                    run.frames);
        } finally {
            if (frame != null) {
                av_frame_free(frame);
            }
            if (packet != null) {
                av_packet_free(packet);
            }
            if (decoder != null) {
                avcodec_free_context(decoder);
            }
            avformat_close_input(format);
        }
    }

    /** The receive side of one probe: turns decoded frames into {@link Frame} records. */
    private static final class Decoding {

        private final AVCodecContext decoder;
        private final AVFrame frame;
        private final double timeBase;
        private final LumaVisitor visitor;
        private final Set<Long> keyPacketPts = new HashSet<>();
        private final List<Frame> frames = new ArrayList<>();

        Decoding(AVCodecContext decoder, AVFrame frame, AVRational timeBase, LumaVisitor visitor) {
            this.decoder = decoder;
            this.frame = frame;
            this.timeBase = av_q2d(timeBase);
            this.visitor = visitor;
        }

        /** Takes every frame the decoder has ready. */
        void receive() {
            while (true) {
                int ret = avcodec_receive_frame(decoder, frame);
                if (ret == AVERROR_EAGAIN || ret == AVERROR_EOF) {
                    return;
                }
                FfmpegCalls.check(ret, STAGE, "avcodec_receive_frame");
                if (frame.format() != AV_PIX_FMT_YUV420P) {
                    throw new ReelfluxException(STAGE, "expected yuv420p frames, got pixel format " + frame.format(),
                            null);
                }
                int index = frames.size();
                int w = frame.width();
                int h = frame.height();
                int linesize = frame.linesize(0);
                ByteBuffer luma = frame.data(0).capacity((long) linesize * h).asByteBuffer();
                int stamp = FrameStamp.read(luma, w, h, linesize);
                visitor.visit(index, luma, w, h, linesize);
                long pts = frame.best_effort_timestamp();
                // A frame leaves the decoder only after its packet went in, so that packet's flag is known by now.
                frames.add(new Frame(index, pts, pts * timeBase, (frame.flags() & AV_FRAME_FLAG_KEY) != 0,
                        keyPacketPts.contains(pts), (char) av_get_picture_type_char(frame.pict_type()), stamp));
            }
        }
    }
}
