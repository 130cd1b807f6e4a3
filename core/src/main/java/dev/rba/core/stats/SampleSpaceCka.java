package dev.rba.core.stats;

import dev.rba.core.linalg.Backend;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Linear CKA of every pair of streams in sample space, for similarity rows that are few (one per sample: the CLS or
 * mean token). Feature-space CKA needs ||X_a,c^T X_b,c||_F^2 for every pair, which {@link StatisticsPlan#allPairs}
 * gets from one joint Gram of all streams: (S d)^2 fp64 values, 14 GB for the 33 streams of a d=1280 ViT-H. The same
 * number is <K_a, K_b>_F with K_a = X_a,c X_a,c^T, the n x n Gram of the centred rows, so for n rows this keeps the
 * rows themselves (S n d float32 values, as captured) and, once the pass is over, one n x n fp64 kernel per stream:
 * {@link #bytes} of memory, against (S d)^2 x 8 for the joint Gram. Which form a pass uses is the caller's choice from
 * the sizes (the cheaper one).
 *
 * <p>Exact in the same sense as the Grams: the rows are centred in fp64 on their own column means, so large channel
 * means cost no digits, and the kernels and their inner products are fp64.
 */
public final class SampleSpaceCka {
    private final int[] widths;
    private final boolean[] used;
    private final long capacity;
    /** Per used stream, the rows so far, row-major float32 [rows, width]. */
    private final float[][] rows;
    private int count;

    /**
     * @param widths  width of every stream
     * @param used    which streams enter the similarity matrices (the others are neither kept nor compared)
     * @param maxRows rows the pass will bring at most (its sample count)
     */
    SampleSpaceCka(int[] widths, boolean[] used, long maxRows) {
        long widest = 0;
        for (int s = 0; s < widths.length; s++) if (used[s]) widest = Math.max(widest, widths[s]);
        if (maxRows * maxRows > Integer.MAX_VALUE - 8 || maxRows * widest > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("sample-space CKA of " + maxRows + " rows needs arrays of more than 2^31 "
                    + "values: use fewer samples (--samples) or leave CKA out (--metric br,cosine,mse)");
        }
        this.widths = widths.clone();
        this.used = used.clone();
        this.capacity = maxRows;
        this.rows = new float[widths.length][];
        for (int s = 0; s < widths.length; s++) if (used[s]) rows[s] = new float[Math.toIntExact(maxRows * widths[s])];
    }

    /**
     * Bytes this form holds for {@code n} rows: the float32 rows of every used stream, one fp64 n x n kernel per used
     * stream, and one fp64 copy of the widest stream's centred rows (and its transpose) while a kernel is formed.
     */
    public static long bytes(int[] widths, boolean[] used, long n) {
        long bytes = 0;
        long widest = 0;
        for (int s = 0; s < widths.length; s++) {
            if (!used[s]) continue;
            bytes += n * widths[s] * Float.BYTES + n * n * Double.BYTES;
            widest = Math.max(widest, widths[s]);
        }
        return bytes + 2 * n * widest * Double.BYTES;
    }

    /** Appends {@code n} selected rows of every used stream (float32, row-major [n, width]). */
    void add(MemorySegment[] selected, long n) {
        if (count + n > capacity) {
            throw new IllegalStateException("sample-space CKA was sized for " + capacity + " rows, got " + (count + n));
        }
        for (int s = 0; s < widths.length; s++) {
            if (!used[s]) continue;
            MemorySegment.copy(selected[s], ValueLayout.JAVA_FLOAT, 0, rows[s], Math.toIntExact((long) count * widths[s]),
                    Math.toIntExact(n * widths[s]));
        }
        count += (int) n;
    }

    /** Rows added so far. */
    long rows() {
        return count;
    }

    /**
     * [S][S] matrix of <K_a, K_b>_F = ||X_a,c^T X_b,c||_F^2 for the used streams (NaN for the others); its diagonal's
     * companions, the centred energies ||X_a,c||_F^2 = tr K_a, come from {@link #centredSquares}.
     */
    Result result(Backend backend) {
        int streams = widths.length;
        double[][] kernels = new double[streams][];
        double[] centred = new double[streams];
        for (int s = 0; s < streams; s++) {
            centred[s] = Double.NaN;
            if (!used[s]) continue;
            kernels[s] = kernel(backend, s);
            double trace = 0;
            for (int i = 0; i < count; i++) trace += kernels[s][i * count + i];
            centred[s] = trace;
        }
        double[][] hsic = new double[streams][streams];
        for (int a = 0; a < streams; a++) {
            for (int b = a; b < streams; b++) {
                double v = Double.NaN;
                if (used[a] && used[b]) {
                    v = 0;
                    double[] ka = kernels[a];
                    double[] kb = kernels[b];
                    for (int i = 0; i < ka.length; i++) v += ka[i] * kb[i];
                }
                hsic[a][b] = v;
                hsic[b][a] = v;
            }
        }
        return new Result(hsic, centred);
    }

    /** K = X_c X_c^T [n, n] in fp64, X_c the stream's rows minus their column means. */
    private double[] kernel(Backend backend, int s) {
        int d = widths[s];
        int n = count;
        double[] mean = new double[d];
        float[] x = rows[s];
        for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) mean[c] += x[i * d + c];
        for (int c = 0; c < d; c++) mean[c] /= Math.max(1, n);
        double[] xc = new double[n * d];
        double[] xcT = new double[d * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                double v = x[i * d + c] - mean[c];
                xc[i * d + c] = v;
                xcT[c * n + i] = v;
            }
        }
        return n == 0 ? new double[0] : backend.dgemm(n, n, d, xc, xcT);
    }

    /** The sums CKA reads: hsic[a][b] = <K_a, K_b>_F, centredSquares[a] = ||X_a,c||_F^2. */
    record Result(double[][] hsic, double[] centredSquares) {
    }
}
