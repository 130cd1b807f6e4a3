package dev.rba.core.approx;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A 95% interval of a figure measured on a finite sample. Binomial figures (accuracy, agreement) use Wilson's score
 * interval; means and ratios use a seeded percentile bootstrap over the samples, so the same data always gives the
 * same interval.
 */
public record Interval(double low, double high) {
    private static final double Z = 1.959963984540054;
    public static final int RESAMPLES = 1000;

    public static Interval point(double v) {
        return new Interval(v, v);
    }

    /** Wilson's interval of a proportion {@code successes / n}. */
    public static Interval wilson(int successes, int n) {
        if (n <= 0) return new Interval(Double.NaN, Double.NaN);
        double p = (double) successes / n;
        double z2 = Z * Z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /**
     * Bootstrap interval of {@code scale * f(sum num / sum den)} over samples drawn with replacement, where f is the
     * square root when {@code sqrt}; {@code den} null means a plain mean. Pairing (the same resampled samples in
     * num and den) keeps paired differences paired.
     */
    public static Interval bootstrap(double[] num, double[] den, boolean sqrt, double scale, long seed) {
        return resampled(num, null, den, sqrt, scale, seed);
    }

    /**
     * Paired bootstrap interval of {@code scale * (f(sum b / sum den) - f(sum a / sum den))}: the figure of b minus
     * that of a, both over the same resampled samples, so what the two share (the samples' own difficulty) cancels.
     * f and {@code den} as in {@link #bootstrap}.
     */
    public static Interval bootstrapDifference(double[] a, double[] b, double[] den, boolean sqrt, double scale, long seed) {
        if (a.length != b.length) throw new IllegalArgumentException("paired figures of " + a.length + " and " + b.length + " samples");
        return resampled(b, a, den, sqrt, scale, seed);
    }

    /** The percentile interval of figure(num) - figure(minus) (figure(num) alone when {@code minus} is null). */
    private static Interval resampled(double[] num, double[] minus, double[] den, boolean sqrt, double scale, long seed) {
        int n = num.length;
        if (n == 0) return new Interval(Double.NaN, Double.NaN);
        SplittableRandom random = new SplittableRandom(seed);
        double[] stats = new double[RESAMPLES];
        for (int r = 0; r < RESAMPLES; r++) {
            double a = 0;
            double m = 0;
            double b = 0;
            for (int i = 0; i < n; i++) {
                int s = random.nextInt(n);
                a += num[s];
                if (minus != null) m += minus[s];
                b += den == null ? 1 : den[s];
            }
            stats[r] = figure(a, b, sqrt, scale) - (minus == null ? 0 : figure(m, b, sqrt, scale));
        }
        Arrays.sort(stats);
        return new Interval(stats[(int) Math.floor(0.025 * (RESAMPLES - 1))], stats[(int) Math.ceil(0.975 * (RESAMPLES - 1))]);
    }

    private static double figure(double sum, double den, boolean sqrt, double scale) {
        double v = den == 0 ? 0 : sum / den;
        return scale * (sqrt ? Math.sqrt(Math.max(0, v)) : v);
    }

    /** Whether the interval holds 0: a difference the samples cannot tell from none. */
    public boolean containsZero() {
        return low <= 0 && 0 <= high;
    }

    /** Whether the two intervals share a point: the figures cannot be told apart at this sample size. */
    public boolean overlaps(Interval o) {
        return low <= o.high && o.low <= high;
    }
}
