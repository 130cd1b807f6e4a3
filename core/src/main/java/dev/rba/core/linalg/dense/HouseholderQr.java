package dev.rba.core.linalg.dense;

import dev.rba.core.linalg.OperandChecks;

/**
 * Least squares {@code min ||A X - B||_F} by Householder QR, fp64, without forming normal equations: the reflectors
 * that reduce A to R are applied to B as well, then R X = (Q^T B)[0..n) is solved by back substitution.
 * A and B are held column-wise (transposed) so each reflector is a dot and an axpy over contiguous memory.
 */
public final class HouseholderQr {

    private HouseholderQr() {
    }

    /** a [m,n], b [m,nrhs], m >= n; returns X [n,nrhs]. Throws when A is rank-deficient to working precision. */
    public static double[] leastSquares(int m, int n, int nrhs, double[] a, double[] b) {
        OperandChecks.leastSquares(m, n, nrhs, a, b);
        double[] ac = VectorOps.transpose(m, n, a);
        double[] bc = VectorOps.transpose(m, nrhs, b);
        double[] rDiag = new double[n];
        double[] v = new double[m];
        for (int k = 0; k < n; k++) {
            int len = m - k;
            int colK = k * m + k;
            double norm = Math.sqrt(VectorOps.dot(ac, colK, ac, colK, len));
            if (norm == 0) {
                rDiag[k] = 0;
                continue;
            }
            double alpha = ac[colK] > 0 ? -norm : norm;
            System.arraycopy(ac, colK, v, 0, len);
            v[0] -= alpha;
            double vv = VectorOps.dot(v, 0, v, 0, len);
            rDiag[k] = alpha;
            if (vv == 0) {
                continue;
            }
            double beta = 2 / vv;
            for (int j = k + 1; j < n; j++) {
                int col = j * m + k;
                VectorOps.axpy(-beta * VectorOps.dot(v, 0, ac, col, len), v, 0, ac, col, len);
            }
            for (int j = 0; j < nrhs; j++) {
                int col = j * m + k;
                VectorOps.axpy(-beta * VectorOps.dot(v, 0, bc, col, len), v, 0, bc, col, len);
            }
        }
        double maxDiag = 0;
        for (double r : rDiag) {
            maxDiag = Math.max(maxDiag, Math.abs(r));
        }
        double tolerance = maxDiag * Math.max(m, n) * Math.ulp(1.0);
        for (int k = 0; k < n; k++) {
            if (!(Math.abs(rDiag[k]) > tolerance)) {
                throw rankDeficient(k, rDiag[k], maxDiag);
            }
        }
        // back substitution R X = C, R[i,j] (j > i) = ac[j*m + i], C[i, r] = bc[r*m + i]
        double[] x = new double[n * nrhs];
        for (int r = 0; r < nrhs; r++) {
            for (int i = n - 1; i >= 0; i--) {
                double s = bc[r * m + i];
                for (int j = i + 1; j < n; j++) {
                    s -= ac[j * m + i] * x[j * nrhs + r];
                }
                x[i * nrhs + r] = s / rDiag[i];
            }
        }
        return x;
    }

    /** The one error every backend's QR gives for a rank-deficient A (same threshold everywhere). */
    public static ArithmeticException rankDeficient(int column, double diag, double maxDiag) {
        return new ArithmeticException("least squares by QR: A is rank-deficient (|R[" + column + "," + column + "]| = "
                + Math.abs(diag) + " vs largest " + maxDiag + "); use a ridge fit or the SVD instead");
    }
}
