package dev.reelflux.core;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineRecorderTest {

    private static final URI URI_ = URI.create("http://127.0.0.1/clip.mp4");

    @Test
    void countsEveryStageAndOrdersMilestones() throws InterruptedException {
        PipelineRecorder recorder = PipelineRecorder.start();
        recorder.requestStarted(URI_, 0, -1, 1);
        recorder.requestStarted(URI_, 5000, -1, 1);
        recorder.retrying(URI_, 5000, 2, new java.io.IOException("reset"));
        recorder.requestFinished(new RequestRecord(URI_, 0, -1, 1, 206, "HTTP/1.1", 1, 2_000_000, 3_000_000, 5000,
                9_000_000, RequestRecord.Outcome.COMPLETED, null));
        recorder.requestFinished(new RequestRecord(URI_, 5000, -1, 1, 206, "HTTP/1.1", 1, 0, 1_000_000, 5000,
                4_000_000, RequestRecord.Outcome.COMPLETED, null));
        recorder.sourceSize(10_000);
        recorder.bytesReceived(4000);
        recorder.bytesReceived(6000);
        recorder.frameDecoded();
        recorder.frameDecoded();
        recorder.frameEmitted(0);
        Thread.sleep(5);
        recorder.frameEmitted(1);
        long start = System.nanoTime();
        recorder.batchInferred(2, start, start + 4_000_000);
        recorder.resultEmitted(0);
        recorder.resultEmitted(1);

        PipelineReport report = recorder.report(false, null);

        assertThat(report.transfer().bytesFetched()).isEqualTo(10_000);
        assertThat(report.transfer().sizeBytes()).isEqualTo(10_000);
        assertThat(report.transfer().requests()).isEqualTo(2);
        assertThat(report.transfer().rangeRequests()).isEqualTo(1);
        assertThat(report.transfer().retries()).isEqualTo(1);
        assertThat(report.transfer().connectionsOpened()).as("the second request reused the connection").isEqualTo(1);
        assertThat(report.transfer().connectionsUsed()).isEqualTo(1);
        assertThat(report.times().connectMs()).isEqualTo(2.0);
        assertThat(report.work().framesDecoded()).isEqualTo(2);
        assertThat(report.work().framesEmitted()).isEqualTo(2);
        assertThat(report.work().framesInferred()).isEqualTo(2);
        assertThat(report.work().batches()).isEqualTo(1);
        assertThat(report.work().inferenceMs()).isEqualTo(4.0);
        assertThat(report.work().resultsEmitted()).isEqualTo(2);
        assertThat(report.times().firstByteMs()).isLessThanOrEqualTo(report.times().lastByteMs());
        assertThat(report.times().firstFrameMs()).isLessThan(report.times().lastFrameMs());
        assertThat(report.times().lastResultMs()).isLessThanOrEqualTo(report.times().totalMs());
        assertThat(report.decodeFps()).isPositive();
        assertThat(recorder.timeline().bytes()).extracting(Timeline.Point::value).containsExactly(4000L, 10_000L);
        assertThat(recorder.timeline().frames()).extracting(Timeline.Point::value).containsExactly(0L, 1L);
        assertThat(recorder.timeline().batches()).singleElement().satisfies(s -> assertThat(s.count()).isEqualTo(2));
    }

    @Test
    void aLongRunsTimelineStaysBoundedAndSpansTheWholeRunWhileTheCountersCountAll() {
        PipelineRecorder recorder = PipelineRecorder.start();
        long frames = 10L * PipelineRecorder.MAX_POINTS + 3;
        for (long i = 0; i < frames; i++) {
            recorder.frameEmitted(i);
        }

        List<Timeline.Point> points = recorder.timeline().frames();
        assertThat(points).hasSizeLessThanOrEqualTo(PipelineRecorder.MAX_POINTS + 1)
                .hasSizeGreaterThan(PipelineRecorder.MAX_POINTS / 2);
        assertThat(points.get(0).value()).isZero();
        assertThat(points.get(points.size() - 1).value()).isEqualTo(frames - 1);
        assertThat(recorder.report(false, null).work().framesEmitted()).isEqualTo(frames);
    }

    @Test
    void eventsThatNeverHappenedAreMinusOne() {
        PipelineReport report = PipelineRecorder.start().report(true, null);
        assertThat(report.times().firstByteMs()).isEqualTo(-1);
        assertThat(report.times().firstFrameMs()).isEqualTo(-1);
        assertThat(report.times().firstResultMs()).isEqualTo(-1);
        assertThat(report.budgetHit()).isTrue();
        assertThat(report.boundBy()).isEqualTo(PipelineReport.Bound.NONE);
    }

    @Test
    void namesTheBindingStage() {
        PipelineReport network = report(1000, 1010, 1050, 1060, 200);
        assertThat(network.boundBy()).isEqualTo(PipelineReport.Bound.NETWORK);
        PipelineReport inference = report(100, 1000, 2000, 2000, 1800);
        assertThat(inference.boundBy()).isEqualTo(PipelineReport.Bound.INFERENCE);
        PipelineReport backpressured = report(1950, 1960, 2000, 2000, 1800);
        assertThat(backpressured.boundBy()).isEqualTo(PipelineReport.Bound.INFERENCE);
        PipelineReport decode = report(100, 1900, 2000, 2000, 300);
        assertThat(decode.boundBy()).isEqualTo(PipelineReport.Bound.DECODE);
    }

    /** A run with these milestones and model time: what {@link PipelineReport#boundBy()} judges. */
    private static PipelineReport report(double lastByteMs, double lastFrameMs, double lastResultMs, double totalMs,
                                         double inferenceMs) {
        return new PipelineReport(new PipelineReport.Times(1, 10, lastByteMs, 50, lastFrameMs, 100, lastResultMs,
                totalMs), new PipelineReport.Transfer(0, 0, 1, 0, 0, 0, 1), new PipelineReport.Work(0, 0, 0, 0,
                inferenceMs, 0), PipelineReport.Hls.NONE, false, null);
    }
}
