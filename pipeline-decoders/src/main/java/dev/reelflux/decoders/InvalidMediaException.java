package dev.reelflux.decoders;

/**
 * The bytes are not a readable video: garbage, an empty source, or a container whose header FFmpeg rejects as invalid
 * data.
 */
public class InvalidMediaException extends DecodeException {

    public InvalidMediaException(String stage, String message, int errorCode, String ffmpegMessage, Throwable cause) {
        super(stage, message, errorCode, ffmpegMessage, cause);
    }
}
