package dev.reelflux.examples;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** What a command prints, line by line with the time each line ended, for tests that ask what happened when. */
final class LineLog extends OutputStream {

    /** A line and the {@link System#nanoTime()} it ended at. */
    record Line(long nanos, String text) {
    }

    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final List<Line> lines = new ArrayList<>();

    /** A stream that prints into {@code log}, flushing at every line. */
    static PrintStream stream(LineLog log) {
        return new PrintStream(log, true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            lines.add(new Line(System.nanoTime(), partial.toString(StandardCharsets.UTF_8)));
            partial.reset();
        } else {
            partial.write(b);
        }
    }

    /** The lines ended so far that {@code filter} accepts. */
    synchronized List<Line> lines(Predicate<String> filter) {
        return lines.stream().filter(line -> filter.test(line.text())).toList();
    }

    @Override
    public synchronized String toString() {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line.text()).append('\n'));
        return text.toString();
    }
}
