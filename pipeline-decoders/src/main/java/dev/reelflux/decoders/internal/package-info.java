/**
 * How {@link dev.reelflux.decoders.VideoDecoder} works; not for users. One subscription is a
 * {@link dev.reelflux.decoders.internal.DecodeTask} (the decode thread and the demand) running a
 * {@link dev.reelflux.decoders.internal.DecoderSession} (every native context): bytes come through
 * {@code ChunkStream} and {@code AvioBridge}, frames are decoded by {@code VideoCodec}, numbered by
 * {@code FrameClock}, chosen by {@code FrameSelector} and written by {@code FrameConverter}.
 */
package dev.reelflux.decoders.internal;
