package dev.reelflux.decoders;

import java.time.Duration;

/**
 * What the container and decoder say about the video stream being decoded. Known once the stream is open, before the
 * first frame: see {@link DecodeListener#opened} and {@link VideoFrame#stream()}.
 *
 * @param container FFmpeg demuxer name, such as {@code "mov,mp4,m4a,3gp,3g2,mj2"}, {@code "matroska,webm"} or
 *                  {@code "mpegts"}
 * @param codec codec name, such as {@code "h264"}
 * @param decoder name of the decoder in use, such as {@code "h264"} or {@code "libaom-av1"}
 * @param hwAccel {@link HwAccel#CUDA} when frames are decoded on the GPU, {@link HwAccel#NONE} otherwise
 * @param width coded picture width
 * @param height coded picture height
 * @param fps average frame rate, or 0 when the container does not say
 * @param frameCount number of frames the container declares, or -1 when unknown (MP4 knows; MPEG-TS does not)
 * @param duration declared duration, or {@code null} when unknown
 * @param timeBaseNum numerator of the unit of {@link VideoFrame#pts()} in seconds
 * @param timeBaseDen denominator of the unit of {@link VideoFrame#pts()} in seconds
 * @param startPts pts of the first frame, which {@link VideoFrame#time()} counts from
 */
public record StreamInfo(String container, String codec, String decoder, HwAccel hwAccel, int width, int height,
                         double fps, long frameCount, Duration duration, int timeBaseNum, int timeBaseDen,
                         long startPts) {
}
