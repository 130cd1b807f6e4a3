package dev.rba.core.linalg.dense;

import dev.rba.core.linalg.OperandChecks;

/**
 * Eigen-decomposition of a symmetric matrix in fp64: Householder reduction to tridiagonal form, then the
 * implicit QL iteration with Wilkinson-style shifts (Golub and Van Loan, ch. 8), O(n^3).
 *
 * <p>Layout choices: the reduction keeps the full symmetric matrix (both triangles) so that its rank-2 update is two
 * axpys per row; the QL rotations act on rows of {@code Z^T} (contiguous) instead of columns of Z.
 */
public final class SymmetricEigen {

    private static final double EPS = Math.ulp(1.0);
    private static final int MAX_ITERATIONS_PER_EIGENVALUE = 60;

    private SymmetricEigen() {
    }

    /** Eigenvalues ascending; if {@code vectors} is non-null it receives the eigenvectors as columns of [n,n]. */
    public static double[] decompose(int n, double[] a, double[] vectors) {
        OperandChecks.symmetricEigen(n, a, vectors);
        double[] work = a.clone();
        double[] d = new double[n];
        double[] e = new double[n];
        double[] q = vectors == null ? null : new double[n * n];
        tridiagonalize(n, work, d, e, q);
        double[] zt = null;
        if (vectors != null) {
            zt = new double[n * n];
            for (int i = 0; i < n; i++) {
                zt[i * n + i] = 1;
            }
        }
        tridiagonalQl(n, d, e, zt);
        double[] values = new double[n];
        int[] order = VectorOps.sortedOrder(d, false, values);
        if (vectors != null) {
            // A = Q T Q^T and T = Z diag(d) Z^T, so the eigenvectors are the columns of Q Z: V[i,k] = Q[i,:] . Z^T[k,:]
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    vectors[i * n + k] = VectorOps.dot(q, i * n, zt, order[k] * n, n);
                }
            }
        }
        return values;
    }

    /**
     * Reduces symmetric {@code a} (destroyed) to tridiagonal T = Q^T A Q: diagonal d, sub-diagonal e (e[i] = T[i+1,i],
     * e[n-1] = 0). If q is non-null it receives Q = H_0 H_1 ... H_{n-3}.
     */
    static void tridiagonalize(int n, double[] a, double[] d, double[] e, double[] q) {
        double[][] reflectors = q == null ? null : new double[Math.max(n - 2, 0)][];
        double[] betas = new double[Math.max(n - 2, 0)];
        double[] v = new double[n];
        double[] p = new double[n];
        for (int k = 0; k < n - 2; k++) {
            int len = n - k - 1;
            // x = A[k+1.., k]: column k below the diagonal (read via symmetry from row k, which is contiguous)
            double norm2 = 0;
            for (int i = 0; i < len; i++) {
                v[i] = a[k * n + k + 1 + i];
                norm2 += v[i] * v[i];
            }
            double alpha = v[0];
            double beta = 0;
            if (norm2 > 0 && norm2 != v[0] * v[0]) {
                double norm = Math.sqrt(norm2);
                alpha = v[0] > 0 ? -norm : norm;
                v[0] -= alpha;
                beta = 2.0 / VectorOps.dot(v, 0, v, 0, len);
                // p = beta A22 v ; w = p - (beta/2)(p.v) v ; A22 -= v w^T + w v^T
                int base = (k + 1) * n + (k + 1);
                for (int i = 0; i < len; i++) {
                    p[i] = beta * VectorOps.dot(a, base + i * n, v, 0, len);
                }
                double kf = 0.5 * beta * VectorOps.dot(p, 0, v, 0, len);
                for (int i = 0; i < len; i++) {
                    p[i] -= kf * v[i];
                }
                for (int i = 0; i < len; i++) {
                    int row = base + i * n;
                    VectorOps.axpy(-v[i], p, 0, a, row, len);
                    VectorOps.axpy(-p[i], v, 0, a, row, len);
                }
            }
            betas[k] = beta;
            if (reflectors != null) {
                reflectors[k] = java.util.Arrays.copyOf(v, len);
            }
            d[k] = a[k * n + k];
            e[k] = alpha;
            for (int i = 0; i < len; i++) {
                a[k * n + k + 1 + i] = i == 0 ? alpha : 0;
                a[(k + 1 + i) * n + k] = i == 0 ? alpha : 0;
            }
        }
        if (n >= 2) {
            d[n - 2] = a[(n - 2) * n + n - 2];
            e[n - 2] = a[(n - 1) * n + n - 2];
        }
        if (n >= 1) {
            d[n - 1] = a[(n - 1) * n + n - 1];
            e[n - 1] = 0;
        }
        if (q != null) {
            java.util.Arrays.fill(q, 0);
            for (int i = 0; i < n; i++) {
                q[i * n + i] = 1;
            }
            // Q = H_0 ... H_{n-3}, built backwards so that H_k only touches rows/cols k+1.. of an identity-padded Q
            double[] t = new double[n];
            for (int k = n - 3; k >= 0; k--) {
                if (betas[k] == 0) {
                    continue;
                }
                double[] vk = reflectors[k];
                int len = n - k - 1;
                int off = k + 1;
                java.util.Arrays.fill(t, 0, len, 0);
                for (int i = 0; i < len; i++) {
                    VectorOps.axpy(vk[i], q, (off + i) * n + off, t, 0, len);
                }
                for (int i = 0; i < len; i++) {
                    VectorOps.axpy(-betas[k] * vk[i], t, 0, q, (off + i) * n + off, len);
                }
            }
        }
    }

    /**
     * Implicit QL on the symmetric tridiagonal (d, e); d receives the eigenvalues (unsorted). If zt is non-null its
     * rows are rotated along, so that on return row k of zt is the eigenvector of d[k] in the tridiagonal basis.
     */
    static void tridiagonalQl(int n, double[] d, double[] e, double[] zt) {
        for (int l = 0; l < n; l++) {
            int iterations = 0;
            while (true) {
                int m = l;
                while (m < n - 1) {
                    double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
                    if (Math.abs(e[m]) <= EPS * dd) {
                        break;
                    }
                    m++;
                }
                if (m == l) {
                    break;
                }
                if (++iterations > MAX_ITERATIONS_PER_EIGENVALUE) {
                    throw new ArithmeticException("symmetric eigen: QL iteration did not converge for eigenvalue " + l
                            + " after " + MAX_ITERATIONS_PER_EIGENVALUE + " iterations; the input may hold NaN or Inf");
                }
                // shift from the trailing 2x2 of the unreduced block starting at l
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = Math.hypot(g, 1);
                g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
                double s = 1;
                double c = 1;
                double p = 0;
                boolean deflated = false;
                for (int i = m - 1; i >= l; i--) {
                    double f = s * e[i];
                    double b = c * e[i];
                    r = Math.hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0) {
                        // underflow: the block splits here; undo the partial shift and restart the search
                        d[i + 1] -= p;
                        e[m] = 0;
                        deflated = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                    if (zt != null) {
                        // columns i, i+1 of Z: z_{i+1} <- s z_i + c z_{i+1}, z_i <- c z_i - s z_{i+1}
                        VectorOps.rotate(zt, i * n, zt, (i + 1) * n, n, c, s);
                    }
                }
                if (deflated) {
                    continue;
                }
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
        }
    }
}
