package dev.rba.core.linalg;

/** fp64 matrix products in plain Java: the reference for {@link Backend#dgemm} and its default. */
public final class Fp64Products {

    private Fp64Products() {
    }

    /** A [m,k] * B [k,n], row-major fp64. */
    public static double[] multiply(double[] a, double[] b, int m, int k, int n) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double av = a[i * k + p];
                if (av != 0) addScaledRow(out, i * n, av, b, p * n, n);
            }
        }
        return out;
    }

    /**
     * out[o..o+n) += s * b[r..r+n). A method of its own so that C2 compiles (and vectorises) it within the first
     * ~10^4 calls, rather than the whole loop nest running in the interpreter and C1 until an OSR compile.
     */
    private static void addScaledRow(double[] out, int o, double s, double[] b, int r, int n) {
        for (int j = 0; j < n; j++) out[o + j] += s * b[r + j];
    }
}
