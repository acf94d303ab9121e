package dev.reelflux.examples;

import dev.reelflux.core.PipelineReport;

import java.io.PrintStream;

/** Prints a {@link PipelineReport} as the human-readable timing breakdown of the examples' commands. */
final class ReportPrinter {

    private ReportPrinter() {
    }

    static void print(PipelineReport report, PrintStream out) {
        PipelineReport.Times times = report.times();
        out.printf("  connect        %8s%n", millis(times.connectMs()));
        out.printf("  first byte     %8s%n", millis(times.firstByteMs()));
        out.printf("  first frame    %8s%n", millis(times.firstFrameMs()));
        out.printf("  first result   %8s%n", millis(times.firstResultMs()));
        out.printf("  last byte      %8s%n", millis(times.lastByteMs()));
        out.printf("  last result    %8s%n", millis(times.lastResultMs()));
        out.printf("  total          %8s%n", millis(times.totalMs()));
        PipelineReport.Work work = report.work();
        out.printf("  frames         %d decoded, %d emitted, %d inferred in %d batches%n", work.framesDecoded(),
                work.framesEmitted(), work.framesInferred(), work.batches());
        PipelineReport.Transfer transfer = report.transfer();
        out.printf("  bytes          %d fetched of %s in %d requests (%d ranged, %d retries; connections: %d used, "
                + "%d new)%n",
                transfer.bytesFetched(), transfer.sizeBytes() < 0 ? "?" : String.valueOf(transfer.sizeBytes()),
                transfer.requests(), transfer.rangeRequests(), transfer.retries(), transfer.connectionsUsed(),
                transfer.connectionsOpened());
        PipelineReport.Hls hls = report.hls();
        if (hls.variant() != null || hls.segmentsSkipped() > 0) {
            out.printf("  hls            %s%s%n", hls.variant() == null ? "media playlist"
                    : String.format("variant %dx%d at %d kb/s (%s)", hls.variant().width(), hls.variant().height(),
                    hls.variant().bandwidth() / 1000, hls.variant().uri()),
                    hls.segmentsSkipped() > 0 ? ", " + hls.segmentsSkipped() + " live segments skipped" : "");
        }
        out.printf("  decode         %8.1f frames/s%n", report.decodeFps());
        out.printf("  inference      %8.1f frames/s of model time%n", report.inferenceFps());
        out.printf("  bound by       %s%s%n", report.boundBy(), report.budgetHit() ? " (time budget hit)" : "");
        if (report.error() != null) {
            out.printf("  error          %s: %s%n", report.error().getClass().getSimpleName(),
                    report.error().getMessage());
        }
    }

    private static String millis(double ms) {
        return ms < 0 ? "-" : String.format("%.1f ms", ms);
    }
}
