package dev.rba.core.linalg.dense;

import dev.rba.core.linalg.OperandChecks;

/**
 * Thin SVD by one-sided Jacobi (Hestenes): plane rotations orthogonalise the columns of A pairwise; at convergence
 * the column norms are the singular values, the normalised columns are U and the product of the rotations is V.
 * Slower than bidiagonalisation but simple and accurate to high relative precision. Columns are stored as rows
 * ({@code A^T}), so every rotation and dot product runs over contiguous memory.
 */
public final class JacobiSvd {

    private static final double EPS = Math.ulp(1.0);
    private static final int MAX_SWEEPS = 80;

    private JacobiSvd() {
    }

    /** Singular values descending; u [m, min(m,n)] and vt [min(m,n), n] are filled when non-null. */
    public static double[] decompose(int m, int n, double[] a, double[] u, double[] vt) {
        OperandChecks.svd(m, n, a, u, vt);
        if (m >= n) {
            // columns of A = rows of A^T
            return tall(m, n, VectorOps.transpose(m, n, a), u, vt);
        }
        // A = (A^T)^T: if A^T = U' S V'^T then A = V' S U'^T, so U = V' and VT = U'^T
        double[] uPrime = vt == null ? null : new double[n * m];
        double[] vtPrime = u == null ? null : new double[m * m];
        double[] s = tall(n, m, a.clone(), uPrime, vtPrime);
        if (u != null) {
            // U [m,m] = V' = (VT')^T
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    u[i * m + j] = vtPrime[j * m + i];
                }
            }
        }
        if (vt != null) {
            // VT [m,n] = U'^T where U' is [n,m]
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    vt[i * n + j] = uPrime[j * m + i];
                }
            }
        }
        return s;
    }

    /** m >= n; {@code cols [n][m]} holds the columns of A as rows and is destroyed. */
    private static double[] tall(int m, int n, double[] cols, double[] u, double[] vt) {
        double[] v = new double[n * n]; // rows of v are the columns of V
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1;
        }
        double[] norms = new double[n];
        boolean rotated = true;
        int sweeps = 0;
        while (rotated) {
            if (++sweeps > MAX_SWEEPS) {
                throw new ArithmeticException("Jacobi SVD did not converge in " + MAX_SWEEPS + " sweeps; the input may hold NaN or Inf");
            }
            rotated = false;
            for (int j = 0; j < n; j++) {
                norms[j] = VectorOps.dot(cols, j * m, cols, j * m, m);
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double alpha = norms[p];
                    double beta = norms[q];
                    double gamma = VectorOps.dot(cols, p * m, cols, q * m, m);
                    if (Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta) || gamma == 0) {
                        continue;
                    }
                    rotated = true;
                    // rotation angle that zeroes the (p,q) entry of the 2x2 Gram [[alpha, gamma], [gamma, beta]]
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.copySign(1.0, zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = c * t;
                    VectorOps.rotate(cols, p * m, cols, q * m, m, c, s);
                    VectorOps.rotate(v, p * n, v, q * n, n, c, s);
                    norms[p] = alpha - t * gamma;
                    norms[q] = beta + t * gamma;
                }
            }
        }
        double[] sv = new double[n];
        for (int j = 0; j < n; j++) {
            sv[j] = Math.sqrt(VectorOps.dot(cols, j * m, cols, j * m, m));
        }
        double[] s = new double[n];
        int[] order = VectorOps.sortedOrder(sv, true, s);
        if (u != null) {
            double[] ucols = new double[n * m]; // columns of U as rows
            double tiny = (s.length > 0 ? s[0] : 0) * m * EPS;
            int rank = 0;
            for (int k = 0; k < n; k++) {
                int j = order[k];
                if (s[k] > tiny && s[k] > 0) {
                    double inv = 1 / s[k];
                    for (int i = 0; i < m; i++) {
                        ucols[k * m + i] = cols[j * m + i] * inv;
                    }
                    rank++;
                }
            }
            completeOrthonormal(m, n, rank, ucols);
            for (int i = 0; i < m; i++) {
                for (int k = 0; k < n; k++) {
                    u[i * n + k] = ucols[k * m + i];
                }
            }
        }
        if (vt != null) {
            for (int k = 0; k < n; k++) {
                System.arraycopy(v, order[k] * n, vt, k * n, n);
            }
        }
        return s;
    }

    /**
     * Fills rows rank..n-1 of {@code rows [n][m]} (the U columns of zero singular values) with unit vectors
     * orthogonal to all earlier rows; U must stay orthonormal for callers such as orthogonal Procrustes. Each new
     * row starts from the coordinate vector e_i with the largest part outside the current span (its squared
     * norm is 1 - sum_j rows[j][i]^2, and these add up to m - k >= 1 over i, so the best one keeps >= 1/m) and is
     * then orthogonalised by Gram-Schmidt twice, which restores orthogonality to working precision.
     */
    static void completeOrthonormal(int m, int n, int rank, double[] rows) {
        for (int k = rank; k < n; k++) {
            int best = 0;
            double bestOutside = -1;
            for (int i = 0; i < m; i++) {
                double inside = 0;
                for (int j = 0; j < k; j++) {
                    inside += rows[j * m + i] * rows[j * m + i];
                }
                if (1 - inside > bestOutside) {
                    bestOutside = 1 - inside;
                    best = i;
                }
            }
            java.util.Arrays.fill(rows, k * m, k * m + m, 0);
            rows[k * m + best] = 1;
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < k; j++) {
                    double proj = VectorOps.dot(rows, j * m, rows, k * m, m);
                    VectorOps.axpy(-proj, rows, j * m, rows, k * m, m);
                }
            }
            double norm = Math.sqrt(VectorOps.dot(rows, k * m, rows, k * m, m));
            for (int i = 0; i < m; i++) {
                rows[k * m + i] /= norm;
            }
        }
    }
}
