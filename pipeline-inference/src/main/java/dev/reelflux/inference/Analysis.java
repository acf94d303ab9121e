package dev.reelflux.inference;

import dev.reelflux.core.PipelineReport;
import dev.reelflux.core.Timeline;
import dev.reelflux.decoders.StreamInfo;

import java.util.List;
import java.util.Optional;

/**
 * What {@link VideoAnalysis#analyze} found in one clip: every frame's results in display order, the report (timings,
 * counts, the budget, the error that ended the clip early if any) and the timeline of the run.
 *
 * @param stream what the decoder learnt of the video stream; null when the clip failed before it was opened
 * @param frames  one entry per frame analysed before the clip ended, with every model's result for it
 * @param strides what the budget planner chose, in order (empty without a budget, or when it never thinned)
 */
public record Analysis(StreamInfo stream, List<FrameAnalysis> frames, PipelineReport report, Timeline timeline,
                      List<StrideChange> strides) {

    public Analysis {
        frames = List.copyOf(frames);
        strides = List.copyOf(strides);
    }

    /** An analysis without a planner. */
    public Analysis(StreamInfo stream, List<FrameAnalysis> frames, PipelineReport report, Timeline timeline) {
        this(stream, frames, report, timeline, List.of());
    }

    /** Model {@code name}'s results, in frame order: one per frame it ran on. */
    public List<FrameResult> results(String name) {
        return frames.stream().map(frame -> frame.model(name)).flatMap(Optional::stream).toList();
    }
}
