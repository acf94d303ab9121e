package dev.reelflux.decoders;

/**
 * The deadline set with {@code VideoDecoder.optDeadline} passed before decoding finished. Frames decoded before the
 * deadline were emitted; FFmpeg was interrupted and every native resource was freed before this error was signalled.
 */
public class DecodeTimeoutException extends DecodeException {

    public DecodeTimeoutException(String stage, String message, int errorCode, String ffmpegMessage, Throwable cause) {
        super(stage, message, errorCode, ffmpegMessage, cause);
    }
}
