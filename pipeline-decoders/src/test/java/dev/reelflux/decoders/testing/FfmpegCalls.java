package dev.reelflux.decoders.testing;

import dev.reelflux.core.ReelfluxException;
import org.bytedeco.javacpp.BytePointer;

import static org.bytedeco.ffmpeg.global.avutil.AV_ERROR_MAX_STRING_SIZE;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** Turns negative FFmpeg return codes into exceptions that carry the {@code av_strerror} text and the stage. */
final class FfmpegCalls {

    /** {@code AVERROR(EAGAIN)} on Linux; bytedeco exposes no constant for it. */
    static final int AVERROR_EAGAIN = -11;

    private FfmpegCalls() {
    }

    /**
     * Returns {@code ret} when it is not negative.
     *
     * @throws ReelfluxException naming {@code stage}, the failed {@code call} and FFmpeg's text for the code
     */
    static int check(int ret, String stage, String call) {
        if (ret < 0) {
            throw failure(stage, call, ret);
        }
        return ret;
    }

    /** The exception {@link #check} throws, for callers that must test the code themselves first. */
    static ReelfluxException failure(String stage, String call, int ret) {
        return new ReelfluxException(stage, call + " failed: " + errorText(ret) + " (" + ret + ")", null);
    }

    /** FFmpeg's description of an error code. */
    static String errorText(int ret) {
        try (BytePointer buf = new BytePointer(AV_ERROR_MAX_STRING_SIZE)) {
            if (av_strerror(ret, buf, buf.capacity()) < 0) {
                return "unknown error";
            }
            // getString() would read all of the buffer's capacity, garbage after the NUL included.
            return buf.limit(BytePointer.strlen(buf)).getString();
        }
    }
}
