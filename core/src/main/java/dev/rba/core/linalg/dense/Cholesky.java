package dev.rba.core.linalg.dense;

import dev.rba.core.linalg.OperandChecks;

/**
 * Cholesky factorisation {@code A = L L^T} (row by row, Cholesky-Banachiewicz) and the two triangular solves, fp64.
 * Rows are used, not columns, because row-major rows are contiguous: every inner loop is a dot or an axpy.
 */
public final class Cholesky {

    private Cholesky() {
    }

    /**
     * Overwrites the lower triangle of {@code a [n,n]} with L. Returns false when a pivot is not positive (or NaN),
     * i.e. A is not positive definite in floating point; the same test LAPACK's dpotrf makes.
     */
    public static boolean factor(int n, double[] a) {
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            for (int j = 0; j <= i; j++) {
                int rj = j * n;
                double s = a[ri + j] - VectorOps.dot(a, ri, a, rj, j);
                if (i == j) {
                    if (!(s > 0)) {
                        return false;
                    }
                    a[ri + i] = Math.sqrt(s);
                } else {
                    a[ri + j] = s / a[rj + j];
                }
            }
        }
        return true;
    }

    /** Solves L L^T X = B in place; {@code l} holds L in its lower triangle, {@code b [n, nrhs]}. */
    public static void solveFactored(int n, int nrhs, double[] l, double[] b) {
        // forward: L Y = B, row i of Y = (row i of B - sum_{k<i} L[i,k] row k of Y) / L[i,i]
        for (int i = 0; i < n; i++) {
            int bi = i * nrhs;
            for (int k = 0; k < i; k++) {
                VectorOps.axpy(-l[i * n + k], b, k * nrhs, b, bi, nrhs);
            }
            scale(b, bi, nrhs, 1.0 / l[i * n + i]);
        }
        // backward: L^T X = Y, row i of X = (row i of Y - sum_{k>i} L[k,i] row k of X) / L[i,i]
        for (int i = n - 1; i >= 0; i--) {
            int bi = i * nrhs;
            for (int k = i + 1; k < n; k++) {
                VectorOps.axpy(-l[k * n + i], b, k * nrhs, b, bi, nrhs);
            }
            scale(b, bi, nrhs, 1.0 / l[i * n + i]);
        }
    }

    /** Solves A X = B for SPD A; a is not modified, b is overwritten with X. False when A is not positive definite. */
    public static boolean solve(int n, int nrhs, double[] a, double[] b) {
        OperandChecks.choleskySolve(n, nrhs, a, b);
        double[] l = a.clone();
        if (!factor(n, l)) {
            return false;
        }
        solveFactored(n, nrhs, l, b);
        return true;
    }

    private static void scale(double[] x, int off, int len, double f) {
        for (int i = 0; i < len; i++) {
            x[off + i] *= f;
        }
    }
}
