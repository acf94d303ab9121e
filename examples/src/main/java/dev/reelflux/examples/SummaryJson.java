package dev.reelflux.examples;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.reelflux.core.HlsSource;
import dev.reelflux.core.PipelineReport;
import dev.reelflux.decoders.StreamInfo;
import dev.reelflux.inference.Analysis;

/** {@code analyze --summary-json}: one line of JSON with the figures a script compares across runs. */
final class SummaryJson {

    private SummaryJson() {
    }

    /**
     * The summary of {@code analysis}: frames emitted and decoded, the stream's size and codec (0 and null when the
     * stream never opened), milestones in ms (-1 when not reached), bytes, and the error as {@code "Type: message"}
     * or null.
     */
    static String of(Analysis analysis) {
        return new GsonBuilder().serializeNulls().create().toJson(json(analysis));
    }

    /** As {@link #of(Analysis)}, as a JSON object (what is unknown as JSON null). */
    static JsonObject json(Analysis analysis) {
        PipelineReport report = analysis.report();
        StreamInfo stream = analysis.stream();
        PipelineReport.Work work = report.work();
        PipelineReport.Transfer transfer = report.transfer();
        PipelineReport.Times times = report.times();
        JsonObject json = new JsonObject();
        json.addProperty("frames", work.framesEmitted());
        json.addProperty("framesDecoded", work.framesDecoded());
        json.addProperty("framesInferred", work.framesInferred());
        json.addProperty("width", stream == null ? 0 : stream.width());
        json.addProperty("height", stream == null ? 0 : stream.height());
        json.addProperty("codec", stream == null ? null : stream.codec());
        json.addProperty("connectMs", round(times.connectMs()));
        json.addProperty("firstByteMs", round(times.firstByteMs()));
        json.addProperty("firstFrameMs", round(times.firstFrameMs()));
        json.addProperty("firstResultMs", round(times.firstResultMs()));
        json.addProperty("lastByteMs", round(times.lastByteMs()));
        json.addProperty("lastResultMs", round(times.lastResultMs()));
        json.addProperty("totalMs", round(times.totalMs()));
        json.addProperty("bytesFetched", transfer.bytesFetched());
        json.addProperty("sizeBytes", transfer.sizeBytes());
        json.addProperty("requests", transfer.requests());
        json.addProperty("rangeRequests", transfer.rangeRequests());
        json.addProperty("connectionsOpened", transfer.connectionsOpened());
        json.addProperty("connectionsUsed", transfer.connectionsUsed());
        json.addProperty("retries", transfer.retries());
        HlsSource.Variant variant = report.hls().variant();
        json.addProperty("hlsVariant", variant == null ? null : variant.uri().toString());
        json.addProperty("segmentsSkipped", report.hls().segmentsSkipped());
        json.addProperty("decodeFps", round(report.decodeFps()));
        json.addProperty("inferenceFps", round(report.inferenceFps()));
        json.addProperty("boundBy", report.boundBy().toString());
        json.addProperty("budgetHit", report.budgetHit());
        json.addProperty("error", report.error() == null ? null : describe(report.error()));
        return json;
    }

    /** {@code "SimpleName: message"}, the one line a failure is reported as. */
    static String describe(Throwable error) {
        return error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    private static double round(double ms) {
        return Math.round(ms * 10) / 10.0;
    }
}
