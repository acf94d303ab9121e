package dev.reelflux.examples;

import dev.reelflux.core.PipelineRecorder;
import dev.reelflux.decoders.HwAccel;
import dev.reelflux.decoders.StreamInfo;
import dev.reelflux.inference.Analysis;
import dev.reelflux.inference.Detection;
import dev.reelflux.inference.FrameAnalysis;
import dev.reelflux.inference.FrameResult;
import dev.reelflux.inference.ObjectTracker;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The challenge's frames from a clip's analysis, filled or not. */
class ChallengeAnswersTest {

    private static final int FRAMES = 10;

    @Test
    void aClipTheBudgetCutIsAnsweredToItsLastFrameWithNothingInventedPastTheLastInferredOne() {
        Analysis cut = analysis(6);

        List<ChallengeResponse.Frame> frames = answers(true).frames(cut).block();

        assertThat(frames).extracting(ChallengeResponse.Frame::number)
                .containsExactlyElementsOf(LongStream.range(0, FRAMES).boxed().toList());
        assertThat(frames.subList(0, 6)).allSatisfy(frame -> {
            assertThat(frame.objects()).hasSize(1);
            assertThat(frame.objectsFilled()).isFalse();
        });
        assertThat(frames.subList(6, FRAMES)).allSatisfy(frame -> {
            assertThat(frame.objects()).isEmpty();
            assertThat(frame.objectsFilled()).isTrue();
        });
    }

    @Test
    void withoutFillingOnlyTheAnalysedFramesAreAnswered() {
        assertThat(answers(false).frames(analysis(6)).block()).hasSize(6)
                .allSatisfy(frame -> assertThat(frame.objectsFilled()).isFalse());
    }

    @Test
    void aLimitOnFramesBoundsTheFill() {
        ChallengeAnswers limited = new ChallengeAnswers(ObjectTracker.create(), Models.OBJECTS, 0, true, 8);

        assertThat(limited.frames(analysis(6)).block()).hasSize(8);
    }

    @Test
    void aForgedFrameCountDoesNotSizeTheAnswer() {
        StreamInfo forged = new StreamInfo("mp4", "h264", "h264", HwAccel.NONE, 320, 240, 25, Long.MAX_VALUE, null, 1,
                25, 0);
        Analysis small = analysis(6);
        Analysis lying = new Analysis(forged, small.frames(), small.report(), small.timeline());

        assertThat(answers(true).frames(lying).block()).hasSize((int) ChallengeAnswers.MOST_FRAMES);
    }

    private static ChallengeAnswers answers(boolean fill) {
        return new ChallengeAnswers(ObjectTracker.create(), Models.OBJECTS, 0, fill, 0);
    }

    /** A clip of {@value #FRAMES} frames the budget cut after {@code inferred}: one ball moving right. */
    private static Analysis analysis(int inferred) {
        StreamInfo stream = new StreamInfo("mp4", "h264", "h264", HwAccel.NONE, 320, 240, 25, FRAMES, null, 1, 25, 0);
        List<FrameAnalysis> frames = LongStream.range(0, inferred).mapToObj(i -> new FrameAnalysis(i, i / 25.0,
                Map.of(Models.OBJECTS, new FrameResult(i, i / 25.0,
                        List.of(new Detection(0, 0.9f, 10 * i, 10, 10 * i + 8, 18)))))).toList();
        PipelineRecorder recorder = PipelineRecorder.start();
        return new Analysis(stream, frames, recorder.report(true, null), recorder.timeline());
    }
}
