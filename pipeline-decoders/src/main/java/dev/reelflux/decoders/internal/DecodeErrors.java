package dev.reelflux.decoders.internal;

import dev.reelflux.decoders.DecodeException;

/** Exceptions for FFmpeg calls that failed, with the {@code av_strerror} text of their return code. */
final class DecodeErrors {

    private DecodeErrors() {
    }

    /** {@code what} ("opening the decoder") failed with {@code ret} in {@code stage}. */
    static DecodeException failed(String stage, String what, int ret) {
        return new DecodeException(stage, what + " failed", ret, FFmpegErrors.describe(ret), null);
    }

    static DecodeException outOfMemory(String stage, String what) {
        return failed(stage, what + " (out of memory)", FFmpegErrors.ENOMEM);
    }
}
