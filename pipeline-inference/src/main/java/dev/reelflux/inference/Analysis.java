package dev.reelflux.inference;

import dev.reelflux.core.PipelineReport;
import dev.reelflux.core.Timeline;
import dev.reelflux.decoders.StreamInfo;

import java.util.List;

/**
 * What {@link VideoAnalysis#analyze} found in one clip: the results in display order, the report (timings, counts,
 * the budget, the error that ended the clip early if any) and the timeline of the run.
 *
 * @param stream what the decoder learnt of the video stream; null when the clip failed before it was opened
 * @param frames one result per frame decoded before the clip ended
 */
public record Analysis(StreamInfo stream, List<FrameResult> frames, PipelineReport report, Timeline timeline) {

    public Analysis {
        frames = List.copyOf(frames);
    }
}
