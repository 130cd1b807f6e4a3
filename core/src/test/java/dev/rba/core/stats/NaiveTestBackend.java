package dev.rba.core.stats;

import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.GramAccumulator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A textbook backend for these tests only (plain loops: fp32 batch products into fp64 sums, Cholesky, cyclic
 * Jacobi eigen and one-sided Jacobi SVD, Householder QR). It stands in until the project's JavaBackend exists and
 * stays as an independent second opinion afterwards.
 */
public final class NaiveTestBackend implements Backend {

    @Override
    public String name() {
        return "naive-test";
    }

    @Override
    public String detail() {
        return "naive test backend (plain Java loops)";
    }

    @Override
    public GramAccumulator newGramAccumulator(int cols) {
        return new GramAccumulator() {
            final double[] gram = new double[cols * cols];
            final double[] sums = new double[cols];
            long rows;

            @Override
            public int cols() {
                return cols;
            }

            @Override
            public void add(MemorySegment batch, long n) {
                float[] z = batch.asSlice(0, n * cols * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
                float[] product = new float[cols * cols];
                for (int r = 0; r < n; r++) {
                    for (int i = 0; i < cols; i++) {
                        float zi = z[r * cols + i];
                        sums[i] += zi;
                        for (int j = 0; j < cols; j++) product[i * cols + j] += zi * z[r * cols + j];
                    }
                }
                for (int i = 0; i < product.length; i++) gram[i] += product[i];
                rows += n;
            }

            @Override
            public long rows() {
                return rows;
            }

            @Override
            public double[] gram() {
                return gram.clone();
            }

            @Override
            public double[] columnSums() {
                return sums.clone();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void sgemm(int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    s += a.getAtIndex(ValueLayout.JAVA_FLOAT, (long) i * k + p)
                            * b.getAtIndex(ValueLayout.JAVA_FLOAT, (long) p * n + j);
                }
                c.setAtIndex(ValueLayout.JAVA_FLOAT, (long) i * n + j, s);
            }
        }
    }

    @Override
    public boolean choleskySolve(int n, int nrhs, double[] a, double[] b) {
        double[] l = new double[n * n];
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
            if (!(d > 0)) return false;
            l[j * n + j] = Math.sqrt(d);
            for (int i = j + 1; i < n; i++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
                l[i * n + j] = s / l[j * n + j];
            }
        }
        for (int c = 0; c < nrhs; c++) {
            for (int i = 0; i < n; i++) {
                double s = b[i * nrhs + c];
                for (int k = 0; k < i; k++) s -= l[i * n + k] * b[k * nrhs + c];
                b[i * nrhs + c] = s / l[i * n + i];
            }
        }
        backSubstitute(l, true, n, b, b, nrhs);
        return true;
    }

    @Override
    public double[] symmetricEigen(int n, double[] a, double[] vectors) {
        double[] m = a.clone();
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += m[p * n + q] * m[p * n + q];
            if (off < 1e-30 * frobenius(m)) break;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = m[p * n + q];
                    if (apq == 0) continue;
                    double t = jacobiTangent((m[q * n + q] - m[p * n + p]) / (2 * apq));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    rotate(m, n, n, 1, p, q, c, s);   // columns p, q
                    rotate(m, n, 1, n, p, q, c, s);   // rows p, q
                    rotate(v, n, n, 1, p, q, c, s);
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(m[x * n + x], m[y * n + y]));
        double[] eig = new double[n];
        for (int i = 0; i < n; i++) {
            eig[i] = m[order[i] * n + order[i]];
            if (vectors != null) for (int k = 0; k < n; k++) vectors[k * n + i] = v[k * n + order[i]];
        }
        return eig;
    }

    /** The smaller root t = tan(angle) of t^2 + 2 zeta t - 1 = 0 that zeroes a Jacobi pair (1 when zeta is 0). */
    private static double jacobiTangent(double zeta) {
        if (zeta == 0) return 1;
        return Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(zeta * zeta + 1));
    }

    /**
     * Applies the Givens rotation (c, s) to lines p and q of row-major {@code x}: {@code count} elements each,
     * element k of line i at {@code k * stride + i * step} (columns: stride n, step 1; rows: stride 1, step n).
     */
    private static void rotate(double[] x, int count, int stride, int step, int p, int q, double c, double s) {
        for (int k = 0; k < count; k++) {
            int ip = k * stride + p * step;
            int iq = k * stride + q * step;
            double xp = x[ip];
            double xq = x[iq];
            x[ip] = c * xp - s * xq;
            x[iq] = s * xp + c * xq;
        }
    }

    private static double frobenius(double[] m) {
        double s = 0;
        for (double x : m) s += x * x;
        return s;
    }

    @Override
    public double[] svd(int m, int n, double[] a, double[] u, double[] vt) {
        if (m < n) throw new UnsupportedOperationException("naive SVD needs m >= n");
        // One-sided Jacobi: rotate columns of W = A until orthogonal; then s = column norms, U = W / s.
        double[] w = a.clone();
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        for (int sweep = 0; sweep < 100; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double alpha = 0;
                    double beta = 0;
                    double gamma = 0;
                    for (int k = 0; k < m; k++) {
                        alpha += w[k * n + p] * w[k * n + p];
                        beta += w[k * n + q] * w[k * n + q];
                        gamma += w[k * n + p] * w[k * n + q];
                    }
                    if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
                    rotated = true;
                    double t = jacobiTangent((beta - alpha) / (2 * gamma));
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = c * t;
                    rotate(w, m, n, 1, p, q, c, s);
                    rotate(v, n, n, 1, p, q, c, s);
                }
            }
            if (!rotated) break;
        }
        double[] sv = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < m; k++) s += w[k * n + j] * w[k * n + j];
            sv[j] = Math.sqrt(s);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(sv[y], sv[x]));
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int j = order[i];
            out[i] = sv[j];
            if (u != null) for (int k = 0; k < m; k++) u[k * n + i] = sv[j] > 0 ? w[k * n + j] / sv[j] : 0;
            if (vt != null) for (int k = 0; k < n; k++) vt[i * n + k] = v[k * n + j];
        }
        return out;
    }

    @Override
    public double[] leastSquaresQR(int m, int n, int nrhs, double[] a, double[] b) {
        double[] r = a.clone();
        double[] y = b.clone();
        for (int j = 0; j < n; j++) {
            double norm = 0;
            for (int i = j; i < m; i++) norm += r[i * n + j] * r[i * n + j];
            norm = Math.sqrt(norm);
            if (norm == 0) continue;
            double alpha = r[j * n + j] > 0 ? -norm : norm;
            double[] v = new double[m];
            for (int i = j; i < m; i++) v[i] = r[i * n + j];
            v[j] -= alpha;
            double vv = 0;
            for (int i = j; i < m; i++) vv += v[i] * v[i];
            if (vv == 0) continue;
            for (int c = j; c < n; c++) {
                double dot = 0;
                for (int i = j; i < m; i++) dot += v[i] * r[i * n + c];
                double f = 2 * dot / vv;
                for (int i = j; i < m; i++) r[i * n + c] -= f * v[i];
            }
            for (int c = 0; c < nrhs; c++) {
                double dot = 0;
                for (int i = j; i < m; i++) dot += v[i] * y[i * nrhs + c];
                double f = 2 * dot / vv;
                for (int i = j; i < m; i++) y[i * nrhs + c] -= f * v[i];
            }
        }
        double[] x = new double[n * nrhs];
        backSubstitute(r, false, n, y, x, nrhs);
        return x;
    }

    /**
     * Solves U x = b for the n x nrhs right-hand sides, U upper triangular: row-major {@code t}, or its transpose when
     * {@code transposed} (U = L^T of a row-major lower L). {@code x} may be {@code b}.
     */
    private static void backSubstitute(double[] t, boolean transposed, int n, double[] b, double[] x, int nrhs) {
        for (int c = 0; c < nrhs; c++) {
            for (int i = n - 1; i >= 0; i--) {
                double s = b[i * nrhs + c];
                for (int k = i + 1; k < n; k++) s -= t[transposed ? k * n + i : i * n + k] * x[k * nrhs + c];
                x[i * nrhs + c] = s / t[i * n + i];
            }
        }
    }

    @Override
    public void close() {
    }
}
