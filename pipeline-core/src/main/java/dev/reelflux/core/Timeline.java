package dev.reelflux.core;

import java.util.List;

/**
 * Events of one pipeline run on one time axis (milliseconds since the recorder started), for a picture of where the
 * time went.
 *
 * @param bytes body bytes arrived: time and running total
 * @param frames frames emitted by the decoder: time and frame index
 * @param batches model calls: start, end and frame count
 * @param results results emitted: time and frame index
 */
public record Timeline(List<Point> bytes, List<Point> frames, List<Span> batches, List<Point> results) {

    /** Something that happened at {@code ms}; {@code value} is a running total or an index. */
    public record Point(double ms, long value) {
    }

    /** Something that took from {@code startMs} to {@code endMs}; {@code count} says how much it covered. */
    public record Span(double startMs, double endMs, int count) {
    }
}
