package dev.reelflux.decoders.internal;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** FFmpeg error codes the decoder tells apart, and their text. */
public final class FFmpegErrors {

    /** {@code AVERROR(EAGAIN)}: no constant for it in the bindings (FACTS 4); EAGAIN is 11 on Linux. */
    public static final int EAGAIN = -11;
    /** {@code AVERROR(EINVAL)}. */
    public static final int EINVAL = -22;
    /** {@code AVERROR(ESPIPE)}, "Illegal seek": what a pipe answers to a seek. */
    public static final int ESPIPE = -29;
    /** {@code AVERROR(ENOSYS)}, "Function not implemented". */
    public static final int ENOSYS = -38;
    /** {@code AVERROR(ENOMEM)}. */
    public static final int ENOMEM = -12;

    private FFmpegErrors() {
    }

    /** The {@code av_strerror} text of {@code code}. */
    public static String describe(int code) {
        byte[] text = new byte[256];
        if (av_strerror(code, text, text.length) < 0) {
            return "error " + code;
        }
        // The buffer holds a C string: what follows the NUL is whatever was there before (FACTS 9).
        int length = 0;
        while (length < text.length && text[length] != 0) {
            length++;
        }
        return new String(text, 0, length, java.nio.charset.StandardCharsets.UTF_8);
    }
}
