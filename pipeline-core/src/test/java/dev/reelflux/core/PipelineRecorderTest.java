package dev.reelflux.core;

import org.junit.jupiter.api.Test;

import java.net.URI;

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

        assertThat(report.bytesFetched()).isEqualTo(10_000);
        assertThat(report.sizeBytes()).isEqualTo(10_000);
        assertThat(report.requests()).isEqualTo(2);
        assertThat(report.rangeRequests()).isEqualTo(1);
        assertThat(report.retries()).isEqualTo(1);
        assertThat(report.connectionsOpened()).as("the second request reused the connection").isEqualTo(1);
        assertThat(report.connectionsUsed()).isEqualTo(1);
        assertThat(report.connectMs()).isEqualTo(2.0);
        assertThat(report.framesDecoded()).isEqualTo(2);
        assertThat(report.framesEmitted()).isEqualTo(2);
        assertThat(report.framesInferred()).isEqualTo(2);
        assertThat(report.batches()).isEqualTo(1);
        assertThat(report.inferenceMs()).isEqualTo(4.0);
        assertThat(report.resultsEmitted()).isEqualTo(2);
        assertThat(report.firstByteMs()).isLessThanOrEqualTo(report.lastByteMs());
        assertThat(report.firstFrameMs()).isLessThan(report.lastFrameMs());
        assertThat(report.lastResultMs()).isLessThanOrEqualTo(report.totalMs());
        assertThat(report.decodeFps()).isPositive();
        assertThat(recorder.timeline().bytes()).extracting(Timeline.Point::value).containsExactly(4000L, 10_000L);
        assertThat(recorder.timeline().frames()).extracting(Timeline.Point::value).containsExactly(0L, 1L);
        assertThat(recorder.timeline().batches()).singleElement().satisfies(s -> assertThat(s.count()).isEqualTo(2));
    }

    @Test
    void eventsThatNeverHappenedAreMinusOne() {
        PipelineReport report = PipelineRecorder.start().report(true, null);
        assertThat(report.firstByteMs()).isEqualTo(-1);
        assertThat(report.firstFrameMs()).isEqualTo(-1);
        assertThat(report.firstResultMs()).isEqualTo(-1);
        assertThat(report.budgetHit()).isTrue();
        assertThat(report.boundBy()).isEqualTo(PipelineReport.Bound.NONE);
    }

    @Test
    void namesTheBindingStage() {
        PipelineReport network = new PipelineReport(1, 10, 1000, 50, 1010, 100, 1050, 1060, 0, 0, 1, 0, 0, 0, 1, 0, 0,
                0, 0, 200, 0, PipelineReport.Hls.NONE, false, null);
        assertThat(network.boundBy()).isEqualTo(PipelineReport.Bound.NETWORK);
        PipelineReport inference = new PipelineReport(1, 10, 100, 50, 1000, 100, 2000, 2000, 0, 0, 1, 0, 0, 0, 1, 0, 0,
                0, 0, 1800, 0, PipelineReport.Hls.NONE, false, null);
        assertThat(inference.boundBy()).isEqualTo(PipelineReport.Bound.INFERENCE);
        PipelineReport backpressured = new PipelineReport(1, 10, 1950, 50, 1960, 100, 2000, 2000, 0, 0, 1, 0, 0, 0, 1,
                0, 0, 0, 0, 1800, 0, PipelineReport.Hls.NONE, false, null);
        assertThat(backpressured.boundBy()).isEqualTo(PipelineReport.Bound.INFERENCE);
        PipelineReport decode = new PipelineReport(1, 10, 100, 50, 1900, 100, 2000, 2000, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0,
                0, 300, 0, PipelineReport.Hls.NONE, false, null);
        assertThat(decode.boundBy()).isEqualTo(PipelineReport.Bound.DECODE);
    }
}
