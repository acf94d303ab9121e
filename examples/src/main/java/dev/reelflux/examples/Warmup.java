package dev.reelflux.examples;

import dev.reelflux.core.testing.MemorySource;
import dev.reelflux.decoders.DecodeListener;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.VideoFrame;
import dev.reelflux.decoders.testing.TestVideo;
import dev.reelflux.inference.VideoAnalysis;

/**
 * Runs a small generated clip through the same settings once, which loads the natives and classes and compiles the
 * code the first real clip uses: what a service has done by its second request, and what a timed run should not
 * count.
 */
final class Warmup {

    private static final byte[] CLIP = TestVideo.create().optScene(TestVideo.Scene.BALL).optStamp(false)
            .optSize(320, 180).optFrames(20).toBytes();

    private Warmup() {
    }

    static void decoder(VideoDecoder decoder) {
        decoder.optListener(DecodeListener.NONE).decode(MemorySource.of(CLIP)).doOnNext(VideoFrame::close)
                .blockLast();
    }

    static void pipeline(VideoAnalysis analysis) {
        analysis.analyze(MemorySource.of(CLIP)).block();
    }
}
