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
 *
 * <p>Held in shifted form: per Gram group a shift c (one float32 value per column, the first batch's column means)
 * and the sums of the shifted rows, S = sum (x - c)(x - c)^T and s = sum (x - c). Residual streams have channels
 * whose mean is 1e2-1e4 times their spread; the fp32 products of unshifted rows would bury the spread in rounding of
 * the mean (X^T X - s s^T / n cancels nearly every digit), while the shifted rows are of the spread's size. The
 * centred Grams ({@link #centredCrossGram}) come straight from S and s; the raw ones ({@link #crossGram}) add c back
 * exactly in fp64.
 */
public final class StreamStatistics {

    final StatisticsPlan plan;
    final long rows;
    final long samples;
    final int[][] groups;
    /** Per group: the column shift c (float32 values), S = sum (x - c)(x - c)^T and s = sum (x - c). */
    final double[][] shifts;
    final double[][] grams;
    final double[][] columnSums;
    /** Per plan pair (by position): sums over selected rows of cos(x, y) and ||y - x||^2. */
    final double[] rowCosineSum;
    final double[] rowSquaredDiffSum;
    /** Per plan pair: the same sums over the summary-token rows (one per sample). */
    final double[] summaryCosineSum;
    final double[] summarySquaredDiffSum;
    /** What the statistics were computed from; {@link StatisticsFingerprint#NONE} until a caller sets it. */
    final StatisticsFingerprint fingerprint;
    /** Per stream, the sum of ||x||^2 over selected rows, kept only by a plan without Grams (else the Gram's trace). */
    final double[] streamSquares;
    /**
     * Sample-space CKA sums of a plan without Grams ({@link SampleSpaceCka}), or null. Not saved by {@link #save}:
     * only similarity statistics, which are never saved, carry them.
     */
    final SampleSpaceCka.Result sampleCka;

    StreamStatistics(StatisticsPlan plan, long rows, long samples, double[][] shifts, double[][] grams,
                     double[][] columnSums, double[] rowCosineSum, double[] rowSquaredDiffSum,
                     double[] summaryCosineSum, double[] summarySquaredDiffSum, StatisticsFingerprint fingerprint,
                     double[] streamSquares, SampleSpaceCka.Result sampleCka) {
        this.sampleCka = sampleCka;
        if (!plan.grams() && (streamSquares == null || streamSquares.length != plan.streamCount())) {
            throw new IllegalArgumentException("statistics without Grams need one sum of squares per stream");
        }
        this.streamSquares = streamSquares;
        this.fingerprint = fingerprint;
        this.plan = plan;
        this.rows = rows;
        this.samples = samples;
        this.groups = plan.gramGroups().toArray(new int[0][]);
        this.shifts = shifts;
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

    /** What these statistics were computed from (saved with them). */
    public StatisticsFingerprint fingerprint() {
        return fingerprint;
    }

    /** The same statistics, recorded as computed from {@code f}. */
    public StreamStatistics withFingerprint(StatisticsFingerprint f) {
        return new StreamStatistics(plan, rows, samples, shifts, grams, columnSums, rowCosineSum, rowSquaredDiffSum,
                summaryCosineSum, summarySquaredDiffSum, f, streamSquares, sampleCka);
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

    /**
     * X_a^T X_b, fp64 [d_a, d_b], row-major; a one-line error when this pair was not accumulated. Rebuilt from the
     * shifted sums as S + c_a s_b^T + s_a c_b^T + n c_a c_b^T; for anything centred use {@link #centredCrossGram}.
     */
    public double[] crossGram(int a, int b) {
        Block k = block(a, b);
        double[] out = k.shifted();
        for (int i = 0; i < k.da; i++) {
            for (int j = 0; j < k.db; j++) {
                out[i * k.db + j] += k.ca(i) * k.sb(j) + k.sa(i) * k.cb(j) + rows * k.ca(i) * k.cb(j);
            }
        }
        return out;
    }

    /**
     * X_a,c^T X_b,c with the column means removed, fp64 [d_a, d_b]: S - s_a s_b^T / n from the shifted sums, which
     * loses no digits to large means. Zero when no rows were added.
     */
    public double[] centredCrossGram(int a, int b) {
        Block k = block(a, b);
        double[] out = k.shifted();
        if (rows == 0) return out;
        for (int i = 0; i < k.da; i++) {
            for (int j = 0; j < k.db; j++) out[i * k.db + j] -= k.sa(i) * k.sb(j) / rows;
        }
        return out;
    }

    /** X_a,c^T X_a,c, the centred Gram [d_a, d_a]. */
    public double[] centredGram(int stream) {
        return centredCrossGram(stream, stream);
    }

    /** ||X_a - mean||_F^2, the trace of the centred Gram (or of the sample-space kernel). */
    public double centredSumOfSquares(int stream) {
        if (sampleCka != null && !plan.grams()) {
            checkStream(stream);
            return sampleCka.centredSquares()[stream];
        }
        return trace(centredGram(stream), width(stream));
    }

    /** Whether these statistics carry sample-space CKA sums ({@link #ckaNumerator}). */
    public boolean hasSampleSpaceCka() {
        return sampleCka != null;
    }

    /**
     * ||X_a,c^T X_b,c||_F^2 = <K_a, K_b>_F, CKA's numerator (and, for a = b, its normaliser's square): from the
     * sample-space kernels when these statistics carry them, else from the centred cross-Gram.
     */
    public double ckaNumerator(int a, int b) {
        if (sampleCka != null) {
            checkStream(a);
            checkStream(b);
            return sampleCka.hsic()[a][b];
        }
        double sum = 0;
        for (double c : centredCrossGram(a, b)) sum += c * c;
        return sum;
    }

    /** Column sums of X_a [d_a]. */
    public double[] columnSums(int stream) {
        Block k = block(stream, stream);
        double[] out = new double[k.da];
        for (int i = 0; i < k.da; i++) out[i] = k.sa(i) + rows * k.ca(i);
        return out;
    }

    /** Column means of X_a [d_a]: c + s / n (zeros when no rows were added). */
    public double[] columnMeans(int stream) {
        Block k = block(stream, stream);
        double[] out = new double[k.da];
        if (rows == 0) return out;
        for (int i = 0; i < k.da; i++) out[i] = k.ca(i) + k.sa(i) / rows;
        return out;
    }

    /** ||X_a||_F^2, the trace of its Gram. */
    public double sumOfSquares(int stream) {
        if (streamSquares != null) {
            checkStream(stream);
            return streamSquares[stream];
        }
        return trace(gram(stream), width(stream));
    }

    private static double trace(double[] m, int d) {
        double t = 0;
        for (int i = 0; i < d; i++) t += m[i * d + i];
        return t;
    }

    /** Where the pair (a, b) lies in the shifted sums of its group. */
    private record Block(double[] gram, double[] shift, double[] sums, int cols, int offA, int offB, int da, int db) {
        double ca(int i) {
            return shift[offA + i];
        }

        double cb(int j) {
            return shift[offB + j];
        }

        double sa(int i) {
            return sums[offA + i];
        }

        double sb(int j) {
            return sums[offB + j];
        }

        /** S restricted to the pair, a fresh [da, db] array. */
        double[] shifted() {
            double[] out = new double[da * db];
            for (int i = 0; i < da; i++) System.arraycopy(gram, (offA + i) * cols + offB, out, i * db, db);
            return out;
        }
    }

    private Block block(int a, int b) {
        checkStream(a);
        checkStream(b);
        for (int g = 0; g < groups.length; g++) {
            int offA = offsetIn(groups[g], a);
            int offB = offsetIn(groups[g], b);
            if (offA < 0 || offB < 0) continue;
            return new Block(grams[g], shifts[g], columnSums[g], groupCols(g), offA, offB, width(a), width(b));
        }
        if (!plan.grams()) {
            throw new IllegalArgumentException("these statistics keep per-row sums only, no Gram of '" + names().get(a)
                    + "' or '" + names().get(b) + "': accumulate them with Grams (CKA, fits)");
        }
        if (a == b) throw new IllegalArgumentException("stream '" + names().get(a) + "' is in no accumulated pair");
        throw new IllegalArgumentException("no cross-Gram of streams '" + names().get(a) + "' and '" + names().get(b)
                + "' was accumulated: add the pair to the statistics plan");
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
     * equals the statistics of their concatenation (up to fp64 rounding of the additions). The other side's shifted
     * sums are moved to this side's shift first (exactly, in fp64), unless this side has no rows.
     */
    public StreamStatistics merge(StreamStatistics other) {
        if (!plan.sameShapeAs(other.plan)) {
            throw new IllegalArgumentException("cannot merge statistics of different plans (streams, widths, token "
                    + "selection, pairs or layout differ): accumulate both with the same plan");
        }
        if (sampleCka != null || other.sampleCka != null) {
            throw new IllegalArgumentException("statistics with sample-space CKA sums cannot be merged (their kernels "
                    + "pair every row with every other): run one pass over all the samples");
        }
        if (rows == 0 && other.rows > 0) return other.merge(this);
        double[][] c = new double[grams.length][];
        double[][] g = new double[grams.length][];
        double[][] s = new double[grams.length][];
        for (int i = 0; i < grams.length; i++) {
            c[i] = shifts[i].clone();
            double[][] moved = reshift(other.grams[i], other.columnSums[i], other.shifts[i], shifts[i], other.rows);
            g[i] = add(grams[i], moved[0]);
            s[i] = add(columnSums[i], moved[1]);
        }
        return new StreamStatistics(plan, rows + other.rows, samples + other.samples, c, g, s,
                add(rowCosineSum, other.rowCosineSum), add(rowSquaredDiffSum, other.rowSquaredDiffSum),
                add(summaryCosineSum, other.summaryCosineSum), add(summarySquaredDiffSum, other.summarySquaredDiffSum),
                fingerprint, streamSquares == null ? null : add(streamSquares, other.streamSquares), null);
    }

    /** Writes the statistics in the format {@link StatisticsFile} documents (temp file, then rename). */
    public void save(Path path) throws IOException {
        StatisticsFile.write(this, path);
    }

    /** Reads statistics written by {@link #save}; a truncated or foreign file gives a one-line error. */
    public static StreamStatistics load(Path path) throws IOException {
        return StatisticsFile.read(path);
    }

    /**
     * Shifted sums of n rows moved from shift {@code from} to shift {@code to}: with e = from - to,
     * sum (x - to)(x - to)^T = S + s e^T + e s^T + n e e^T and sum (x - to) = s + n e. Returns {S', s'}.
     */
    static double[][] reshift(double[] gram, double[] sums, double[] from, double[] to, long n) {
        int cols = sums.length;
        double[] e = new double[cols];
        for (int i = 0; i < cols; i++) e[i] = from[i] - to[i];
        double[] g = gram.clone();
        double[] s = sums.clone();
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j < cols; j++) g[i * cols + j] += sums[i] * e[j] + e[i] * sums[j] + n * e[i] * e[j];
            s[i] += n * e[i];
        }
        return new double[][] {g, s};
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
