/**
 * The decoder stage: a video's bytes in, {@link dev.reelflux.decoders.VideoFrame}s out, with FFmpeg reading a
 * {@link dev.reelflux.core.ByteSource} through a custom AVIO context as the bytes arrive.
 *
 * <p>Start at {@link dev.reelflux.decoders.VideoDecoder} (the immutable spec and its flux contract). Frames own their
 * pixels ({@link dev.reelflux.decoders.FrameAllocator} says where they live); the stream is described by
 * {@link dev.reelflux.decoders.StreamInfo}, each decode's accounting by
 * {@link dev.reelflux.decoders.DecodeListener} and {@link dev.reelflux.decoders.DecodeStats}; failures are
 * {@link dev.reelflux.decoders.DecodeException} subtypes, except the source's own errors, which pass unwrapped.
 */
package dev.reelflux.decoders;
