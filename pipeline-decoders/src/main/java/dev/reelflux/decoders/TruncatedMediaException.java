package dev.reelflux.decoders;

/**
 * The media ends before the container says it should: the bytes stop in the middle of the stream. Every frame decoded
 * before the end was emitted before this error; {@code VideoDecoder.optFailOnTruncation(false)} completes instead.
 */
public class TruncatedMediaException extends DecodeException {

    public TruncatedMediaException(String stage, String message, int errorCode, String ffmpegMessage, Throwable cause) {
        super(stage, message, errorCode, ffmpegMessage, cause);
    }
}
