package dev.reelflux.decoders;

/** The container or the video codec is recognized but this FFmpeg build has no demuxer or decoder for it. */
public class UnsupportedMediaException extends DecodeException {

    public UnsupportedMediaException(String stage, String message, int errorCode, String ffmpegMessage,
                                     Throwable cause) {
        super(stage, message, errorCode, ffmpegMessage, cause);
    }
}
