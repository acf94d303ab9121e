package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.HwAccel;
import dev.reelflux.decoders.UnsupportedMediaException;
import dev.reelflux.decoders.VideoDecoder;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVBufferRef;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONKEY;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONREF;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_DECODER_NOT_FOUND;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_PATCHWELCOME;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

/**
 * The decoder of one video stream: picks it (NVDEC when asked for and possible, else the best software decoder),
 * opens it with the spec's threading and frame skipping, feeds it packets and hands out its frames. Owns the codec
 * context, the CUDA device and the two frames it decodes into, and frees them on {@link #close()}; a codec that fails
 * to open frees what it built before the exception leaves.
 */
final class VideoCodec implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VideoCodec.class);

    private final int baseSkip;
    private AVBufferRef cudaDevice;
    private AVCodecContext context;
    private AVFrame frame;
    private AVFrame download;
    private String decoderName;

    private VideoCodec(boolean keyframesOnly) {
        this.baseSkip = keyframesOnly ? AVDISCARD_NONKEY : AVDISCARD_DEFAULT;
    }

    /** Opens the decoder for {@code stream} as {@code spec} says. */
    static VideoCodec open(AVStream stream, VideoDecoder spec) {
        VideoCodec codec = new VideoCodec(spec.keyframesOnly());
        try {
            codec.build(stream, spec);
            return codec;
        } catch (RuntimeException | Error e) {
            codec.close();
            throw e;
        }
    }

    private void build(AVStream stream, VideoDecoder spec) {
        int codecId = stream.codecpar().codec_id();
        AVCodec decoder = null;
        cudaDevice = Decoders.openCuda(spec.hwAccel());
        if (cudaDevice != null) {
            decoder = Decoders.nativeDecoder(codecId);
            if (decoder == null || !Decoders.decodesOnCuda(decoder)) {
                LOG.info("no CUDA decoding for {}: decoding in software", codecName(codecId));
                av_buffer_unref(cudaDevice);
                cudaDevice = null;
                decoder = null;
            }
        }
        if (decoder == null) {
            decoder = Decoders.softwareDecoder(codecId);
        }
        if (decoder == null) {
            throw new UnsupportedMediaException("open", "this FFmpeg build has no decoder for " + codecName(codecId),
                    AVERROR_DECODER_NOT_FOUND, FFmpegErrors.describe(AVERROR_DECODER_NOT_FOUND), null);
        }
        decoderName = decoder.name().getString();
        context = avcodec_alloc_context3(decoder);
        if (context == null || context.isNull()) {
            context = null;
            throw DecodeErrors.outOfMemory("open", "allocating the " + decoderName + " decoder");
        }
        int ret = avcodec_parameters_to_context(context, stream.codecpar());
        if (ret < 0) {
            throw DecodeErrors.failed("open", "copying the codec parameters", ret);
        }
        context.pkt_timebase(stream.time_base());
        context.thread_count(spec.threads());
        context.thread_type(switch (spec.threadType()) {
            case FRAME -> AVCodecContext.FF_THREAD_FRAME;
            case SLICE -> AVCodecContext.FF_THREAD_SLICE;
            case AUTO -> AVCodecContext.FF_THREAD_FRAME | AVCodecContext.FF_THREAD_SLICE;
        });
        context.skip_frame(baseSkip);
        if (cudaDevice != null) {
            Decoders.useCuda(context, cudaDevice);
        }
        ret = avcodec_open2(context, decoder, (AVDictionary) null);
        if (ret == AVERROR_PATCHWELCOME || ret == FFmpegErrors.ENOSYS) {
            throw new UnsupportedMediaException("open", "the " + decoderName + " decoder cannot decode this stream",
                    ret, FFmpegErrors.describe(ret), null);
        }
        if (ret < 0) {
            throw DecodeErrors.failed("open", "opening the " + decoderName + " decoder", ret);
        }
        frame = av_frame_alloc();
        download = av_frame_alloc();
        if (frame == null || download == null) {
            throw DecodeErrors.outOfMemory("open", "allocating frames");
        }
    }

    static String codecName(int codecId) {
        return avcodec_get_name(codecId).getString();
    }

    String decoderName() {
        return decoderName;
    }

    HwAccel hwAccel() {
        return cudaDevice != null ? HwAccel.CUDA : HwAccel.NONE;
    }

    /**
     * Sets, for the next packet, whether its frame is wanted: an unwanted frame is not decoded when no other frame
     * refers to it ({@code skip_frame=nonref}); keyframes-only skips every non-key frame regardless.
     */
    void want(boolean wanted) {
        context.skip_frame(wanted ? baseSkip : Math.max(baseSkip, AVDISCARD_NONREF));
    }

    /** {@code avcodec_send_packet}; {@code null} drains the decoder. */
    int send(AVPacket packet) {
        return avcodec_send_packet(context, packet);
    }

    /** {@code avcodec_receive_frame} into {@link #frame()}. */
    int receive() {
        return avcodec_receive_frame(context, frame);
    }

    /** The frame {@link #receive()} filled, until {@link #release()}. */
    AVFrame frame() {
        return frame;
    }

    /** The received frame with its pixels in system memory (downloaded from the GPU when decoded there). */
    AVFrame pictureInSystemMemory() {
        return Decoders.inSystemMemory(frame, download);
    }

    /** Drops the received frame's buffers, so the decoder can reuse them. */
    void release() {
        av_frame_unref(frame);
        av_frame_unref(download);
    }

    /** Frees the frames, the codec context (joining its threads) and the CUDA device; safe on a half-built codec. */
    @Override
    public void close() {
        if (download != null) {
            av_frame_free(download);
            download = null;
        }
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (context != null) {
            avcodec_free_context(context);
            context = null;
        }
        if (cudaDevice != null) {
            av_buffer_unref(cudaDevice);
            cudaDevice = null;
        }
    }
}
