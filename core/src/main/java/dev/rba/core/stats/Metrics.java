package dev.rba.core.stats;

/**
 * Similarity metrics and Block Redundancy computed from {@link StreamStatistics} alone, without the activations.
 * Streams are indices into the statistics' plan; Block Redundancy of span i-j compares h_i with h_{j+1}.
 */
public final class Metrics {

    private Metrics() {
    }

    /** Mean squared difference per value, (1 / (n d)) sum_r ||y_r - x_r||^2, from the direct running sum. */
    public static double mse(StreamStatistics stats, int a, int b) {
        return stats.rowSquaredDifferenceSum(a, b) / ((double) stats.rows() * stats.width(a));
    }

    /**
     * The same MSE from the Grams: ||Y - X||_F^2 = tr(X^T X) + tr(Y^T Y) - 2 tr(X^T Y). It cancels badly when X and
     * Y are close (the redundant spans one looks for), so {@link #mse} is the one to report; this one is a cross-check
     * and works for statistics without per-row sums.
     */
    public static double mseFromGrams(StreamStatistics stats, int a, int b) {
        requireEqualWidths(stats, a, b);
        int d = stats.width(a);
        double[] cross = stats.crossGram(a, b);
        double trCross = 0;
        for (int i = 0; i < d; i++) trCross += cross[i * d + i];
        double sq = stats.sumOfSquares(a) + stats.sumOfSquares(b) - 2 * trCross;
        return Math.max(0.0, sq) / ((double) stats.rows() * d);
    }

    /** Mean per-row cosine over the selected rows. */
    public static double meanCosine(StreamStatistics stats, int a, int b) {
        return stats.rowCosineSum(a, b) / stats.rows();
    }

    /**
     * Linear CKA with centring: ||X_c^T Y_c||_F^2 / (||X_c^T X_c||_F ||Y_c^T Y_c||_F), with X_c^T Y_c taken from
     * the shifted sums ({@link StreamStatistics#centredCrossGram}), or the same numbers in sample space,
     * <K_x, K_y>_F / (||K_x||_F ||K_y||_F) (see {@link StreamStatistics#ckaNumerator}). Widths may differ.
     */
    public static double cka(StreamStatistics stats, int a, int b) {
        double hsicXY = stats.ckaNumerator(a, b);
        double hsicXX = stats.ckaNumerator(a, a);
        double hsicYY = stats.ckaNumerator(b, b);
        return hsicXY / Math.sqrt(hsicXX * hsicYY);
    }

    /**
     * Block Redundancy of span i-j: {@code -(1/|S|) sum_x ||h_{j+1}(x)[tok] - h_i(x)[tok]||^2} on the summary token
     * (CLS, or the mean token for models without one). Higher (closer to 0) means more redundant.
     *
     * @param input  index of the stream h_i
     * @param output index of the stream h_{j+1}
     */
    public static double blockRedundancy(StreamStatistics stats, int input, int output) {
        return -stats.summarySquaredDifferenceSum(input, output) / stats.samples();
    }

    /** Mean cosine between the summary tokens of two streams. */
    public static double summaryCosine(StreamStatistics stats, int a, int b) {
        return stats.summaryCosineSum(a, b) / stats.samples();
    }

    /**
     * The metric over all pairs of streams, [S][S]; a pair that the statistics do not cover (or, for cosine and MSE,
     * of unequal widths) is NaN. The diagonal is the metric's value for identical streams.
     */
    public static double[][] similarityMatrix(StreamStatistics stats, SimilarityMetric metric) {
        int s = stats.plan().streamCount();
        double[][] m = new double[s][s];
        for (int a = 0; a < s; a++) {
            m[a][a] = metric == SimilarityMetric.MSE ? 0.0 : 1.0;
            for (int b = a + 1; b < s; b++) {
                double v = covers(stats, metric, a, b) ? value(stats, metric, a, b) : Double.NaN;
                m[a][b] = v;
                m[b][a] = v;
            }
        }
        return m;
    }

    /** One metric for one pair. */
    public static double value(StreamStatistics stats, SimilarityMetric metric, int a, int b) {
        return switch (metric) {
            case COSINE -> meanCosine(stats, a, b);
            case CKA -> cka(stats, a, b);
            case MSE -> mse(stats, a, b);
        };
    }

    private static boolean covers(StreamStatistics stats, SimilarityMetric metric, int a, int b) {
        if (metric == SimilarityMetric.CKA) {
            return stats.hasSampleSpaceCka() || stats.plan().grams() && (stats.plan().joint() || stats.findPair(a, b) >= 0);
        }
        return stats.hasRowSums(a, b);
    }

    private static void requireEqualWidths(StreamStatistics stats, int a, int b) {
        if (stats.width(a) != stats.width(b)) {
            throw new IllegalArgumentException("streams '" + stats.names().get(a) + "' and '" + stats.names().get(b)
                    + "' differ in width (" + stats.width(a) + " vs " + stats.width(b) + "): MSE needs equal widths");
        }
    }
}
