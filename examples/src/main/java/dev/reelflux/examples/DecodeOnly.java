package dev.reelflux.examples;

import dev.reelflux.core.ByteSource;
import dev.reelflux.core.PipelineRecorder;
import dev.reelflux.core.TimeBudget;
import dev.reelflux.decoders.DecodeListener;
import dev.reelflux.decoders.StreamInfo;
import dev.reelflux.decoders.VideoDecoder;
import dev.reelflux.decoders.VideoFrame;
import dev.reelflux.inference.Analysis;
import dev.reelflux.inference.FrameAnalysis;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** {@code analyze} without a model: every selected frame decoded and timed; its entry has no model results. */
final class DecodeOnly {

    private DecodeOnly() {
    }

    /** Decodes {@code source}, blocking; a failure ends up in the report, next to the frames decoded before it. */
    static Analysis run(VideoDecoder decoder, ByteSource source, PipelineRecorder recorder,
                        Optional<Duration> budget) {
        AtomicReference<StreamInfo> stream = new AtomicReference<>();
        VideoDecoder recorded = decoder.optListener(DecodeListener.recordingTo(recorder)
                .andThen(DecodeListener.onOpened(stream::set)).andThen(decoder.listener()));
        TimeBudget clipBudget = budget.map(TimeBudget::startingNow).orElse(null);
        Flux<FrameAnalysis> frames = recorded.decode(source).map(DecodeOnly::result);
        if (clipBudget != null) {
            frames = frames.transform(clipBudget.guard());
        }
        List<FrameAnalysis> done = new ArrayList<>();
        Throwable error = null;
        try {
            frames.doOnNext(done::add).blockLast();
            recorder.recordSize(source).block();
        } catch (RuntimeException e) {
            error = e;
        }
        return new Analysis(stream.get(), done, recorder.report(clipBudget != null && clipBudget.expired(), error),
                recorder.timeline());
    }

    private static FrameAnalysis result(VideoFrame frame) {
        try (frame) {
            return new FrameAnalysis(frame.index(), frame.time(), Map.of());
        }
    }
}
