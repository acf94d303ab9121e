package dev.reelflux.decoders;

import dev.reelflux.core.ReelfluxException;

/**
 * The decoder stage failed. Subclasses name the kind of failure; this class itself covers failures that have no more
 * specific type (an FFmpeg call returning an unexpected error).
 *
 * <p>When the failure came from FFmpeg, {@link #errorCode()} holds the negative {@code AVERROR} code and
 * {@link #ffmpegMessage()} its {@code av_strerror} text; both are also part of the message.
 */
public class DecodeException extends ReelfluxException {

    private final int errorCode;
    private final String ffmpegMessage;

    /**
     * @param stage the part of the decoder that failed, such as {@code "open"}, {@code "demux"} or {@code "decode"}
     * @param message what failed, in words
     * @param errorCode the FFmpeg error code, or 0 when the failure did not come from FFmpeg
     * @param ffmpegMessage {@code av_strerror} text of {@code errorCode}, or {@code null} when {@code errorCode} is 0
     * @param cause the underlying exception, or {@code null}
     */
    public DecodeException(String stage, String message, int errorCode, String ffmpegMessage, Throwable cause) {
        super(stage, errorCode == 0 ? message : message + " (FFmpeg " + errorCode + ": " + ffmpegMessage + ")", cause);
        this.errorCode = errorCode;
        this.ffmpegMessage = ffmpegMessage;
    }

    /** The negative FFmpeg {@code AVERROR} code, or 0 when the failure did not come from FFmpeg. */
    public int errorCode() {
        return errorCode;
    }

    /** {@code av_strerror} text of {@link #errorCode()}, or {@code null}. */
    public String ffmpegMessage() {
        return ffmpegMessage;
    }
}
