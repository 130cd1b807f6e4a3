package dev.rba.core.analysis;

import dev.rba.core.stats.Metrics;
import dev.rba.core.stats.StreamStatistics;
import dev.rba.core.stats.TokenSelection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Which runs of blocks change the residual stream least: Block Redundancy for every span i-j (blocks i..j, mapping h_i
 * to h_{j+1}), ranked, and similarity matrices over all pairs of h_k. Works from statistics alone, so it runs the
 * same on a fresh calibration pass and on statistics loaded from a file.
 */
public final class RedundancyAnalysis {
    private RedundancyAnalysis() {
    }

    /**
     * @param fitStats        all-token statistics of h_0..h_L with summary-token sums (a calibration pass's fit
     *                        statistics); BR and the relative change come from here
     * @param similarityStats statistics over the rows the similarity matrices use (may be {@code fitStats})
     */
    public static RedundancyReport analyze(StreamStatistics fitStats, StreamStatistics similarityStats, AnalysisOptions options) {
        int streams = fitStats.plan().streamCount();
        if (streams < 2) {
            throw new IllegalArgumentException("the statistics hold " + streams + " stream; an analysis needs h_0..h_L of at least one block");
        }
        if (similarityStats.plan().streamCount() != streams) {
            throw new IllegalArgumentException("the similarity statistics hold " + similarityStats.plan().streamCount()
                    + " streams but the fit statistics " + streams + ": both must cover h_0..h_L of one model");
        }
        int blocks = streams - 1;
        List<SpanScore> spans = new ArrayList<>();
        if (options.metrics().contains(AnalysisMetric.BR)) spans = rankSpans(fitStats, blocks, options.maxSpan());
        List<SimilarityTable> matrices = new ArrayList<>();
        String simTokens = tokens(similarityStats.plan().selection());
        for (AnalysisMetric m : AnalysisMetric.values()) {
            if (!options.metrics().contains(m)) continue;
            if (m == AnalysisMetric.BR) {
                matrices.add(new SimilarityTable("br", tokens(fitStats.plan().summaryToken()), brMatrix(fitStats)));
            } else {
                double[][] values = Metrics.similarityMatrix(similarityStats, m.similarity());
                if (m == AnalysisMetric.CKA) blankConstantStreams(similarityStats, values);
                matrices.add(new SimilarityTable(m.label(), simTokens, values));
            }
        }
        return new RedundancyReport(blocks, fitStats.samples(), fitStats.rows(), tokens(fitStats.plan().summaryToken()),
                spans, matrices);
    }

    /** Every span the statistics cover, up to {@code maxSpan} blocks (0 = all), highest BR first. */
    static List<SpanScore> rankSpans(StreamStatistics stats, int blocks, int maxSpan) {
        int longest = maxSpan == 0 ? blocks : Math.min(maxSpan, blocks);
        List<SpanScore> spans = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            for (int j = i; j < blocks && j - i + 1 <= longest; j++) {
                int out = j + 1;
                if (!stats.hasRowSums(i, out)) continue;
                double br = Metrics.blockRedundancy(stats, i, out);
                double cos = Metrics.summaryCosine(stats, i, out);
                double change = stats.rowSquaredDifferenceSum(i, out) / stats.sumOfSquares(i);
                spans.add(new SpanScore(i, j, br, cos, change));
            }
        }
        if (spans.isEmpty()) {
            throw new IllegalArgumentException("the statistics cover no span of equal widths: Block Redundancy needs h_i and h_{j+1} of one width");
        }
        // highest BR first; among equals the shorter, then the earlier span
        spans.sort(Comparator.comparingDouble(SpanScore::br).reversed()
                .thenComparingInt(SpanScore::length).thenComparingInt(SpanScore::firstBlock));
        return spans;
    }

    /** BR as a matrix over all pairs: -(1/|S|) sum ||h_b - h_a||^2 on the summary token; NaN where not covered. */
    static double[][] brMatrix(StreamStatistics stats) {
        int s = stats.plan().streamCount();
        double[][] m = new double[s][s];
        for (int a = 0; a < s; a++) {
            for (int b = a + 1; b < s; b++) {
                double v = stats.hasRowSums(a, b) ? Metrics.blockRedundancy(stats, a, b) : Double.NaN;
                m[a][b] = v;
                m[b][a] = v;
            }
        }
        return m;
    }

    /**
     * CKA compares centred representations; a stream that is the same for every row (h_0's class token is the class
     * embedding plus position 0's embedding, whatever the image) has nothing left after centring, and its CKA is 0/0.
     * Rounding then gives values like 1e-8, which read as "dissimilar"; such entries become NaN ("n/a") instead.
     */
    static void blankConstantStreams(StreamStatistics stats, double[][] values) {
        for (int k = 0; k < values.length; k++) {
            if (!isConstant(stats, k)) continue;
            for (int j = 0; j < values.length; j++) {
                values[k][j] = Double.NaN;
                values[j][k] = Double.NaN;
            }
        }
    }

    /**
     * Whether the centred energy of a stream is below 1e-12 of its raw energy: a spread under 1e-6 of the values'
     * size, some 16 float32 ulps, is rounding of the captured activations, not signal. (The shifted sums resolve a
     * spread of 1e-4 on a mean of 1e4, which real outlier channels have, so the bound must not be coarser.)
     */
    static boolean isConstant(StreamStatistics stats, int k) {
        double raw = stats.sumOfSquares(k);
        return raw == 0 || stats.centredSumOfSquares(k) <= 1e-12 * raw;
    }

    private static String tokens(TokenSelection t) {
        return t.name().toLowerCase(Locale.ROOT);
    }
}
