package dev.rba.core.linalg;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/** Test inputs (random, rank-deficient, badly scaled) and exact fp64 references computed the obvious way. */
final class TestData {

    /** fp32 unit roundoff. */
    static final double U32 = Math.pow(2, -24);

    private TestData() {
    }

    static float[] gaussian(Random rnd, int rows, int cols) {
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    /** rows x cols of rank r: a product of Gaussian [rows, r] and [r, cols] factors. */
    static float[] rankDeficient(Random rnd, int rows, int cols, int rank) {
        double[] f = new double[rows * rank];
        double[] g = new double[rank * cols];
        for (int i = 0; i < f.length; i++) {
            f[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < g.length; i++) {
            g[i] = rnd.nextGaussian();
        }
        float[] x = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int k = 0; k < rank; k++) {
                    s += f[i * rank + k] * g[k * cols + j];
                }
                x[i * cols + j] = (float) s;
            }
        }
        return x;
    }

    /** Gaussian with column j scaled by 10^(-3 .. +3), like activations with a few huge channels. */
    static float[] badlyScaled(Random rnd, int rows, int cols) {
        float[] x = gaussian(rnd, rows, cols);
        for (int j = 0; j < cols; j++) {
            float scale = (float) Math.pow(10, -3 + 6.0 * j / Math.max(1, cols - 1));
            for (int i = 0; i < rows; i++) {
                x[i * cols + j] *= scale;
            }
        }
        return x;
    }

    static MemorySegment segment(Arena arena, float[] x) {
        MemorySegment s = arena.allocate((long) x.length * Float.BYTES, 64);
        MemorySegment.copy(x, 0, s, ValueLayout.JAVA_FLOAT, 0, x.length);
        return s;
    }

    static float[] floats(MemorySegment s, int count) {
        float[] x = new float[count];
        MemorySegment.copy(s, ValueLayout.JAVA_FLOAT, 0, x, 0, count);
        return x;
    }

    /** Exact-enough Gram: fp64 products of the fp32 inputs; abs receives sum |x_ri x_rj| for error bounds. */
    static double[] exactGram(float[] x, int rows, int cols, double[] abs) {
        double[] g = new double[cols * cols];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < cols; i++) {
                double xi = x[r * cols + i];
                if (xi == 0) {
                    continue;
                }
                for (int j = 0; j < cols; j++) {
                    double p = xi * x[r * cols + j];
                    g[i * cols + j] += p;
                    abs[i * cols + j] += Math.abs(p);
                }
            }
        }
        return g;
    }

    static double[] exactProduct(float[] a, float[] b, int m, int n, int k, double[] abs) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double aip = a[i * k + p];
                for (int j = 0; j < n; j++) {
                    double t = aip * b[p * n + j];
                    c[i * n + j] += t;
                    abs[i * n + j] += Math.abs(t);
                }
            }
        }
        return c;
    }

    /** Random orthogonal [n,n] by Gram-Schmidt (twice) on Gaussian columns, stored row-major. */
    static double[] randomOrthogonal(Random rnd, int n) {
        double[][] cols = new double[n][n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                cols[j][i] = rnd.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double d = 0;
                    for (int i = 0; i < n; i++) {
                        d += cols[k][i] * cols[j][i];
                    }
                    for (int i = 0; i < n; i++) {
                        cols[j][i] -= d * cols[k][i];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += cols[j][i] * cols[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                cols[j][i] /= norm;
            }
        }
        double[] q = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                q[i * n + j] = cols[j][i];
            }
        }
        return q;
    }

    /** C = A [m,k] * B [k,n] in fp64. */
    static double[] mul(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double aip = a[i * k + p];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += aip * b[p * n + j];
                }
            }
        }
        return c;
    }

    static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** M M^T + shift I for a Gaussian n x n M: symmetric positive definite, better conditioned as the shift grows. */
    static double[] spd(Random rnd, int n, double shift) {
        double[] m = gaussianDouble(rnd, n * n);
        double[] a = mul(m, transpose(m, n, n), n, n, n);
        for (int i = 0; i < n; i++) {
            a[i * n + i] += shift;
        }
        return a;
    }

    static double[] gaussianDouble(Random rnd, int count) {
        double[] x = new double[count];
        for (int i = 0; i < count; i++) {
            x[i] = rnd.nextGaussian();
        }
        return x;
    }

    /** Symmetric A = Q diag(lambda) Q^T. */
    static double[] symmetricWithEigenvalues(Random rnd, double[] lambda) {
        int n = lambda.length;
        double[] q = randomOrthogonal(rnd, n);
        return udvt(q, n, lambda, q, n);
    }

    /** U diag(s) V^T (m x n) from row-major U (m x m) and V (n x n): the first s.length columns of each. */
    static double[] udvt(double[] u, int m, double[] s, double[] v, int n) {
        double[] a = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int t = 0; t < s.length; t++) {
                    sum += u[i * m + t] * s[t] * v[j * n + t];
                }
                a[i * n + j] = sum;
            }
        }
        return a;
    }
}
