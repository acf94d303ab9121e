package dev.reelflux.examples;

import dev.reelflux.core.PipelineReport;
import dev.reelflux.core.Timeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code analyze --timeline}: one request as an SVG picture. Four lanes share one time axis (bytes arrived, frames
 * decoded, model calls, results emitted), so overlap between the stages, or its absence, shows at a glance.
 */
final class TimelineSvg {

    private static final int WIDTH = 960;
    private static final int LEFT = 150;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int LANE = 60;
    private static final int GAP = 24;
    /** Enough points for a smooth line at this width; more only bloat the file. */
    private static final int MAX_POINTS = 1200;

    private final StringBuilder svg = new StringBuilder();
    private final double endMs;

    private TimelineSvg(double endMs) {
        this.endMs = endMs;
    }

    static void write(String title, PipelineReport report, Timeline timeline, Path file) throws IOException {
        Files.writeString(file, render(title, report, timeline));
    }

    static String render(String title, PipelineReport report, Timeline timeline) {
        double end = Math.max(report.times().totalMs(), 1);
        return new TimelineSvg(end).draw(title, report, timeline);
    }

    private String draw(String title, PipelineReport report, Timeline timeline) {
        int height = TOP + 4 * (LANE + GAP) + 40;
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH,
                height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        text(LEFT, 22, escape(title), "font-size=\"14\" font-weight=\"bold\"");
        text(LEFT, 40, String.format(Locale.ROOT, "first byte %s, first frame %s, first result %s, total %.0f ms;"
                        + " bound by %s%s", ms(report.times().firstByteMs()), ms(report.times().firstFrameMs()),
                ms(report.times().firstResultMs()), report.times().totalMs(), report.boundBy(),
                report.budgetHit() ? " (budget hit)" : ""), "fill=\"#444\"");

        lane(0, String.format(Locale.ROOT, "bytes (%.1f MB)", report.transfer().bytesFetched() / 1e6));
        line(0, timeline.bytes(), "#1f77b4");
        lane(1, "frames decoded (" + report.work().framesEmitted() + ")");
        line(1, timeline.frames(), "#2ca02c");
        lane(2, "model calls (" + report.work().batches() + ")");
        spans(2, timeline.batches());
        lane(3, "results (" + report.work().resultsEmitted() + ")");
        line(3, timeline.results(), "#d62728");
        axis(TOP + 4 * (LANE + GAP));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void lane(int lane, String label) {
        int y = laneTop(lane);
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f4f4f4\"/>%n",
                LEFT, y, plotWidth(), LANE));
        text(8, y + LANE / 2 + 4, escape(label), "");
    }

    /** A running total or an index over time, scaled to the lane's height. */
    private void line(int lane, List<Timeline.Point> points, String color) {
        if (points.isEmpty()) {
            return;
        }
        long max = points.stream().mapToLong(Timeline.Point::value).max().orElse(1);
        int step = Math.max(1, points.size() / MAX_POINTS);
        StringBuilder coords = new StringBuilder();
        for (int i = 0; i < points.size(); i += step) {
            coords.append(point(lane, points.get(i), max));
        }
        coords.append(point(lane, points.get(points.size() - 1), max));
        svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\""
                + " points=\"%s\"/>%n", color, coords.toString().trim()));
    }

    private String point(int lane, Timeline.Point point, long max) {
        double y = laneTop(lane) + LANE - (max <= 0 ? 0 : (double) point.value() / max * LANE);
        return String.format(Locale.ROOT, "%.1f,%.1f ", x(point.ms()), y);
    }

    /** Each model call as a box from its start to its end. */
    private void spans(int lane, List<Timeline.Span> spans) {
        int y = laneTop(lane);
        for (int i = 0; i < spans.size(); i++) {
            Timeline.Span span = spans.get(i);
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\""
                            + " fill=\"%s\"><title>%d frames, %.1f ms</title></rect>%n", x(span.startMs()), y + 8,
                    Math.max(0.8, x(span.endMs()) - x(span.startMs())), LANE - 16,
                    i % 2 == 0 ? "#9467bd" : "#c5b0d5", span.count(), span.endMs() - span.startMs()));
        }
    }

    private void axis(int y) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>%n",
                LEFT, y, LEFT + plotWidth(), y));
        double tick = tickSpacing(endMs);
        for (double t = 0; t <= endMs + 1e-9; t += tick) {
            double x = x(t);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, TOP, x, y));
            text(x - 12, y + 16, String.format(Locale.ROOT, "%.0f", t), "fill=\"#444\"");
        }
        text(LEFT + plotWidth() - 20, y + 32, "ms", "fill=\"#444\"");
    }

    /** 1, 2 or 5 times a power of ten, giving about eight ticks. */
    private static double tickSpacing(double span) {
        double raw = span / 8;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private void text(double x, double y, String content, String attributes) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" %s>%s</text>%n", x, y, attributes,
                content));
    }

    private double x(double ms) {
        return LEFT + Math.max(0, Math.min(ms, endMs)) / endMs * plotWidth();
    }

    private static int laneTop(int lane) {
        return TOP + GAP / 2 + lane * (LANE + GAP);
    }

    private static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static String ms(double ms) {
        return ms < 0 ? "-" : String.format(Locale.ROOT, "%.0f ms", ms);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
