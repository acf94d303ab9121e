package dev.reelflux.decoders;

/**
 * How the decoder spreads one stream over its threads.
 *
 * <p>Frame threading decodes several frames at once and scales best, but holds back {@code threads - 1} frames, which
 * delays the first frame; slice threading splits each frame and adds no delay, but only helps streams encoded with
 * several slices.
 */
public enum ThreadType {
    /** FFmpeg's choice (frame and slice threading both allowed; the codec picks). */
    AUTO,
    /** Frame threading only. */
    FRAME,
    /** Slice threading only. */
    SLICE
}
