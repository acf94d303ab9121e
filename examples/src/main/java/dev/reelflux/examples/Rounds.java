package dev.reelflux.examples;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleSupplier;

/**
 * Measures taken side by side for {@code bench}: in each round every measure runs once, starting one further along each
 * time, so that neither drifts in the machine's load nor what ran just before (a decode's garbage, a model's caches)
 * favour one side. One round first warms up, not counted. Figures are reported as medians, with the spread of the
 * ratio over the rounds.
 */
final class Rounds {

    private final double[][] values;

    private Rounds(double[][] values) {
        this.values = values;
    }

    /** Runs {@code runs} counted rounds of {@code measures}. */
    static Rounds run(int runs, DoubleSupplier... measures) {
        double[][] values = new double[measures.length][runs];
        for (int round = -1; round < runs; round++) {
            for (int i = 0; i < measures.length; i++) {
                int m = Math.floorMod(round + i, measures.length);
                double value = measures[m].getAsDouble();
                if (round >= 0) {
                    values[m][round] = value;
                }
            }
        }
        return new Rounds(values);
    }

    /** Measure {@code m}'s value in each round. */
    double[] of(int m) {
        return values[m].clone();
    }

    /** Measures {@code a} and {@code b} combined round by round (a sum, the slower of two, ...). */
    double[] combined(int a, int b, DoubleBinaryOperator combine) {
        double[] out = new double[values[a].length];
        for (int round = 0; round < out.length; round++) {
            out[round] = combine.applyAsDouble(values[a][round], values[b][round]);
        }
        return out;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** One line: both medians, the ratio of the medians, and the lowest and highest ratio of one round. */
    static void report(String what, double[] ours, String baseline, double[] theirs) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (int round = 0; round < Math.min(ours.length, theirs.length); round++) {
            low = Math.min(low, ours[round] / theirs[round]);
            high = Math.max(high, ours[round] / theirs[round]);
        }
        System.out.printf("%-34s reelflux %9.1f   %-32s %9.1f   ratio %.2f (%.2f-%.2f)%n", what, median(ours),
                baseline, median(theirs), median(ours) / median(theirs), low, high);
    }

    /** {@link #report} of a figure taken once on each side. */
    static void report(String what, double ours, String baseline, double theirs) {
        report(what, new double[] {ours}, baseline, new double[] {theirs});
    }
}
