package dev.reelflux.decoders;

/**
 * The container needs random access but the source cannot serve byte ranges. The usual case is an MP4 whose {@code
 * moov} index is stored after the media data ({@code moov} at the end): the demuxer must read the index before the
 * first frame, which takes a jump to the end of the file and back. Re-encode with {@code -movflags +faststart}, serve
 * the file with range support, or use a fragmented MP4.
 */
public class SeekNotSupportedException extends DecodeException {

    public SeekNotSupportedException(String stage, String message, int errorCode, String ffmpegMessage,
                                     Throwable cause) {
        super(stage, message, errorCode, ffmpegMessage, cause);
    }
}
