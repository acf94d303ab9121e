package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.DecodeException;
import dev.reelflux.decoders.HwAccel;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecHWConfig;
import org.bytedeco.ffmpeg.avutil.AVBufferRef;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_default_get_format;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_hw_config;
import static org.bytedeco.ffmpeg.global.avutil.AV_HWDEVICE_TYPE_CUDA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_CUDA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NONE;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_copy_props;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_hwdevice_ctx_create;
import static org.bytedeco.ffmpeg.global.avutil.av_hwframe_transfer_data;

/**
 * Which FFmpeg decoder decodes a stream, and the NVDEC (CUDA) plumbing: the device, the {@code get_format} callback
 * that picks CUDA surfaces, and the download of a decoded surface to system memory.
 */
final class Decoders {

    private static final Logger LOG = LoggerFactory.getLogger(Decoders.class);

    /** Software AV1: the native {@code av1} decoder only works with a hardware accelerator (FACTS 12). */
    private static final String[] SOFTWARE_AV1 = {"libdav1d", "libaom-av1"};

    private static final PickCuda PICK_CUDA = new PickCuda();
    /** Set after {@link HwAccel#AUTO} failed to open CUDA once: the machine has none, so later streams do not try. */
    private static volatile boolean cudaMissing;

    private Decoders() {
    }

    /**
     * Opens a CUDA device when {@code requested} allows it.
     *
     * @return a new reference the caller must unref, or {@code null} to decode in software
     */
    static AVBufferRef openCuda(HwAccel requested) {
        if (requested == HwAccel.NONE || (requested == HwAccel.AUTO && cudaMissing)) {
            return null;
        }
        try (PointerPointer<AVBufferRef> device = new PointerPointer<>(1)) {
            // AUTO expects to fail on machines without a GPU: FFmpeg's own error lines would only be noise there.
            int ret = requested == HwAccel.AUTO
                    ? FFmpegLog.quietly(() -> av_hwdevice_ctx_create(device, AV_HWDEVICE_TYPE_CUDA, (BytePointer) null,
                            null, 0))
                    : av_hwdevice_ctx_create(device, AV_HWDEVICE_TYPE_CUDA, (BytePointer) null, null, 0);
            if (ret >= 0) {
                return device.get(AVBufferRef.class, 0);
            }
            if (requested == HwAccel.CUDA || !cudaMissing) {
                LOG.warn("no CUDA device ({}): decoding in software{}", FFmpegErrors.describe(ret),
                        requested == HwAccel.AUTO ? "; HwAccel.AUTO will not try again in this process" : "");
            }
            cudaMissing = requested == HwAccel.AUTO || cudaMissing;
            return null;
        }
    }

    /** Whether {@code decoder} can decode into CUDA surfaces given a device. */
    static boolean decodesOnCuda(AVCodec decoder) {
        for (int i = 0; ; i++) {
            AVCodecHWConfig config = avcodec_get_hw_config(decoder, i);
            if (config == null || config.isNull()) {
                return false;
            }
            if ((config.methods() & AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX) != 0
                    && config.device_type() == AV_HWDEVICE_TYPE_CUDA) {
                return true;
            }
        }
    }

    /** FFmpeg's decoder for {@code codecId} (the one that takes a CUDA device), or {@code null}. */
    static AVCodec nativeDecoder(int codecId) {
        AVCodec decoder = avcodec_find_decoder(codecId);
        return decoder == null || decoder.isNull() ? null : decoder;
    }

    /** The decoder that works without a GPU for {@code codecId}, or {@code null}. */
    static AVCodec softwareDecoder(int codecId) {
        if (codecId == AV_CODEC_ID_AV1) {
            for (String name : SOFTWARE_AV1) {
                AVCodec decoder = avcodec_find_decoder_by_name(name);
                if (decoder != null && !decoder.isNull()) {
                    return decoder;
                }
            }
        }
        return nativeDecoder(codecId);
    }

    /** Makes {@code codec} decode on {@code device} (it takes its own reference). */
    static void useCuda(AVCodecContext codec, AVBufferRef device) {
        codec.hw_device_ctx(av_buffer_ref(device));
        codec.get_format(PICK_CUDA);
    }

    /**
     * {@code frame} itself when it is in system memory; otherwise its pixels downloaded into {@code target} (NV12 for
     * 8-bit video), with its timestamps and flags.
     */
    static AVFrame inSystemMemory(AVFrame frame, AVFrame target) {
        if (frame.format() != AV_PIX_FMT_CUDA) {
            return frame;
        }
        av_frame_unref(target);
        int ret = av_hwframe_transfer_data(target, frame, 0);
        if (ret < 0 || (ret = av_frame_copy_props(target, frame)) < 0) {
            throw new DecodeException("decode", "downloading a frame from the GPU failed", ret,
                    FFmpegErrors.describe(ret), null);
        }
        return target;
    }

    /** Picks CUDA surfaces when the decoder offers them, else FFmpeg's default (software) choice. */
    private static final class PickCuda extends AVCodecContext.Get_format_AVCodecContext_IntPointer {
        @Override
        public int call(AVCodecContext context, IntPointer formats) {
            for (int i = 0; ; i++) {
                int format = formats.get(i);
                if (format == AV_PIX_FMT_NONE) {
                    return avcodec_default_get_format(context, formats);
                }
                if (format == AV_PIX_FMT_CUDA) {
                    return format;
                }
            }
        }
    }
}
