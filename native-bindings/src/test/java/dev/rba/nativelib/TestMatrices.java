package dev.rba.nativelib;

import java.util.Random;

/** Reference products and fp32/fp64 copies that the BLAS and cuBLAS binding tests compare the libraries with. */
public final class TestMatrices {

    private TestMatrices() {
    }

    /** Row-major C = op(A) op(B) with op(A) m×k, op(B) k×n; A stored as (transA ? k×m : m×k), B as (transB ? n×k : k×n). */
    public static double[] rowMajorGemm(double[] a, boolean transA, double[] b, boolean transB, int m, int n, int k) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? a[p * m + i] : a[i * k + p];
                    double bpj = transB ? b[j * k + p] : b[p * n + j];
                    s += aip * bpj;
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    /**
     * Column-major C (m×n) = op(A) op(B); A stored as (transA ? k×m : m×k), B as (transB ? n×k : k×n). A column-major
     * array is the row-major array of the transpose, and C^T = op(B)^T op(A)^T: the row-major product with the operands
     * swapped.
     */
    public static double[] columnMajorGemm(double[] a, boolean transA, double[] b, boolean transB, int m, int n, int k) {
        return rowMajorGemm(b, transB, a, transA, n, m, k);
    }

    /** {@code n} values drawn uniformly from [-1, 1). */
    public static double[] uniform(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextDouble() * 2 - 1;
        }
        return v;
    }

    /** {@code n} fp32 values drawn uniformly from [-1, 1). */
    public static float[] uniformFloats(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    public static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    public static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** The angle of the right rotation of {@link #rotatedDiagonal}: its first right singular vector is ±(cos, sin). */
    public static final double V_ANGLE = -1.1;

    /**
     * A (3×2) = [R(0.3) diag(5, 2) R(-1.1)^T ; 0 0], row- or column-major: singular values exactly 5 and 2 (rotations
     * are orthogonal), first right singular vector ±(cos V_ANGLE, sin V_ANGLE).
     */
    public static double[] rotatedDiagonal(boolean columnMajor) {
        double c1 = Math.cos(0.3), s1 = Math.sin(0.3), c2 = Math.cos(V_ANGLE), s2 = Math.sin(V_ANGLE);
        double[][] u = {{c1, -s1}, {s1, c1}};
        double[][] v = {{c2, -s2}, {s2, c2}};
        double[] sigma = {5, 2};
        double[] a = new double[6];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int p = 0; p < 2; p++) {
                    a[columnMajor ? i + j * 3 : i * 2 + j] += u[i][p] * sigma[p] * v[j][p];
                }
            }
        }
        return a;
    }
}
