/**
 * Decoding with FFmpeg: bytes from a {@code ByteSource} to {@code VideoFrame}s. Its internal package is open to
 * reelflux's own modules only.
 */
module dev.reelflux.decoders {
    requires transitive dev.reelflux.core;
    requires org.bytedeco.javacpp;
    requires org.bytedeco.ffmpeg;
    requires org.slf4j;

    exports dev.reelflux.decoders;
    exports dev.reelflux.decoders.internal to dev.reelflux.inference;
}
