package dev.rba.core.stats;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The sufficient statistics of a calibration pass over a set of streams h_k: row count n, column sums, Grams and
 * cross-Grams (fp64), and per-pair running sums of per-row cosine and squared difference on the selected rows and on
 * the summary token (the CLS token, or the mean token for models without one) that Block Redundancy reads.
 * Memory is O(d^2) per pair whatever n is. Immutable; produced by {@link StatisticsAccumulator#snapshot()},
 * {@link #merge} or {@link #load}.
 */
public final class StreamStatistics {

    final StatisticsPlan plan;
    final long rows;
    final long samples;
    final int[][] groups;
    final double[][] grams;
    final double[][] columnSums;
    /** Per plan pair (by position): sums over selected rows of cos(x, y) and ||y - x||^2. */
    final double[] rowCosineSum;
    final double[] rowSquaredDiffSum;
    /** Per plan pair: the same sums over the summary-token rows (one per sample). */
    final double[] summaryCosineSum;
    final double[] summarySquaredDiffSum;

    StreamStatistics(StatisticsPlan plan, long rows, long samples, double[][] grams, double[][] columnSums,
                     double[] rowCosineSum, double[] rowSquaredDiffSum,
                     double[] summaryCosineSum, double[] summarySquaredDiffSum) {
        this.plan = plan;
        this.rows = rows;
        this.samples = samples;
        this.groups = plan.gramGroups().toArray(new int[0][]);
        this.grams = grams;
        this.columnSums = columnSums;
        this.rowCosineSum = rowCosineSum;
        this.rowSquaredDiffSum = rowSquaredDiffSum;
        this.summaryCosineSum = summaryCosineSum;
        this.summarySquaredDiffSum = summarySquaredDiffSum;
    }

    public StatisticsPlan plan() {
        return plan;
    }

    /** Rows the Grams were taken over (selected, unpadded tokens). */
    public long rows() {
        return rows;
    }

    /** Samples seen (rows of the summary token). */
    public long samples() {
        return samples;
    }

    public List<String> names() {
        return plan.names();
    }

    public int width(int stream) {
        return plan.width(stream);
    }

    /** X_a^T X_a, fp64 [d_a, d_a], row-major. */
    public double[] gram(int stream) {
        return crossGram(stream, stream);
    }

    /** X_a^T X_b, fp64 [d_a, d_b], row-major; a one-line error when this pair was not accumulated. */
    public double[] crossGram(int a, int b) {
        checkStream(a);
        checkStream(b);
        for (int g = 0; g < groups.length; g++) {
            int offA = offsetIn(groups[g], a);
            int offB = offsetIn(groups[g], b);
            if (offA < 0 || offB < 0) continue;
            int cols = groupCols(g);
            int da = width(a);
            int db = width(b);
            double[] out = new double[da * db];
            double[] gram = grams[g];
            for (int i = 0; i < da; i++) {
                System.arraycopy(gram, (offA + i) * cols + offB, out, i * db, db);
            }
            return out;
        }
        throw new IllegalArgumentException("no cross-Gram of streams '" + names().get(a) + "' and '" + names().get(b)
                + "' was accumulated: add the pair to the statistics plan");
    }

    /** Column sums of X_a [d_a]. */
    public double[] columnSums(int stream) {
        checkStream(stream);
        for (int g = 0; g < groups.length; g++) {
            int off = offsetIn(groups[g], stream);
            if (off >= 0) {
                double[] out = new double[width(stream)];
                System.arraycopy(columnSums[g], off, out, 0, out.length);
                return out;
            }
        }
        throw new IllegalArgumentException("stream '" + names().get(stream) + "' is in no accumulated pair");
    }

    /** ||X_a||_F^2, the trace of its Gram. */
    public double sumOfSquares(int stream) {
        double[] g = gram(stream);
        int d = width(stream);
        double t = 0;
        for (int i = 0; i < d; i++) t += g[i * d + i];
        return t;
    }

    /** Sum over selected rows of cos(x_a, x_b) (0 for a zero row); needs equal widths. */
    public double rowCosineSum(int a, int b) {
        return rowCosineSum[pairSlot(a, b)];
    }

    /** Sum over selected rows of ||x_b - x_a||^2, accumulated directly (no cancellation); needs equal widths. */
    public double rowSquaredDifferenceSum(int a, int b) {
        return rowSquaredDiffSum[pairSlot(a, b)];
    }

    /** Sum over samples of cos between the summary tokens of a and b. */
    public double summaryCosineSum(int a, int b) {
        return summaryCosineSum[pairSlot(a, b)];
    }

    /** Sum over samples of ||h_b[token] - h_a[token]||^2 on the summary token (what Block Redundancy needs). */
    public double summarySquaredDifferenceSum(int a, int b) {
        return summarySquaredDiffSum[pairSlot(a, b)];
    }

    /** Whether per-row sums exist for this pair (it is in the plan and the widths agree). */
    public boolean hasRowSums(int a, int b) {
        return findPair(a, b) >= 0 && width(a) == width(b);
    }

    /**
     * Statistics of the union of both calibration sets: every sum adds, so merging the statistics of k batches
     * equals the statistics of their concatenation (up to fp64 rounding of the additions).
     */
    public StreamStatistics merge(StreamStatistics other) {
        if (!plan.sameShapeAs(other.plan)) {
            throw new IllegalArgumentException("cannot merge statistics of different plans (streams, widths, token "
                    + "selection, pairs or layout differ): accumulate both with the same plan");
        }
        double[][] g = new double[grams.length][];
        double[][] s = new double[grams.length][];
        for (int i = 0; i < grams.length; i++) {
            g[i] = add(grams[i], other.grams[i]);
            s[i] = add(columnSums[i], other.columnSums[i]);
        }
        return new StreamStatistics(plan, rows + other.rows, samples + other.samples, g, s,
                add(rowCosineSum, other.rowCosineSum), add(rowSquaredDiffSum, other.rowSquaredDiffSum),
                add(summaryCosineSum, other.summaryCosineSum), add(summarySquaredDiffSum, other.summarySquaredDiffSum));
    }

    /** Writes the statistics in the format {@link StatisticsFile} documents (temp file, then rename). */
    public void save(Path path) throws IOException {
        StatisticsFile.write(this, path);
    }

    /** Reads statistics written by {@link #save}; a truncated or foreign file gives a one-line error. */
    public static StreamStatistics load(Path path) throws IOException {
        return StatisticsFile.read(path);
    }

    private static double[] add(double[] x, double[] y) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] + y[i];
        return out;
    }

    int groupCols(int g) {
        int cols = 0;
        for (int s : groups[g]) cols += width(s);
        return cols;
    }

    private int offsetIn(int[] group, int stream) {
        int off = 0;
        for (int s : group) {
            if (s == stream) return off;
            off += width(s);
        }
        return -1;
    }

    private void checkStream(int s) {
        if (s < 0 || s >= plan.streamCount()) {
            throw new IllegalArgumentException("stream index " + s + " is outside the " + plan.streamCount()
                    + " streams " + names());
        }
    }

    int findPair(int a, int b) {
        checkStream(a);
        checkStream(b);
        List<StreamPair> pairs = plan.pairs();
        for (int i = 0; i < pairs.size(); i++) {
            StreamPair p = pairs.get(i);
            if ((p.a() == a && p.b() == b) || (p.a() == b && p.b() == a)) return i;
        }
        return -1;
    }

    private int pairSlot(int a, int b) {
        int slot = findPair(a, b);
        if (slot < 0) {
            throw new IllegalArgumentException("streams '" + names().get(a) + "' and '" + names().get(b)
                    + "' are not a pair of the statistics plan: add the pair and accumulate again");
        }
        if (width(a) != width(b)) {
            throw new IllegalArgumentException("streams '" + names().get(a) + "' (width " + width(a) + ") and '"
                    + names().get(b) + "' (width " + width(b) + ") differ in width: per-row cosine, MSE and Block "
                    + "Redundancy need equal widths");
        }
        return slot;
    }
}
