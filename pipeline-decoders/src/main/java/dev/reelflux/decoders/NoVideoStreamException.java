package dev.reelflux.decoders;

/** The container opened but holds no video stream (an audio-only file, for example). */
public class NoVideoStreamException extends DecodeException {

    public NoVideoStreamException(String stage, String message, int errorCode, String ffmpegMessage, Throwable cause) {
        super(stage, message, errorCode, ffmpegMessage, cause);
    }
}
