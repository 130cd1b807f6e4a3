package dev.rba.core.linalg.dense;

import dev.rba.core.linalg.simd.VectorApi;

/**
 * fp64 dot product, axpy and plane rotation on contiguous array ranges: the inner loops of the Java solvers. On the
 * Vector API ({@link SimdVectorOps}) when the JVM has it, else scalar loops.
 */
public final class VectorOps {

    private VectorOps() {
    }

    /** sum_i x[xo+i] * y[yo+i] for i in 0..len. */
    public static double dot(double[] x, int xo, double[] y, int yo, int len) {
        return VectorApi.PRESENT ? SimdVectorOps.dot(x, xo, y, yo, len) : scalarDot(x, xo, y, yo, len);
    }

    /** y[yo+i] += alpha * x[xo+i] for i in 0..len. */
    public static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int len) {
        if (alpha == 0) {
            return;
        }
        if (VectorApi.PRESENT) {
            SimdVectorOps.axpy(alpha, x, xo, y, yo, len);
        } else {
            scalarAxpy(alpha, x, xo, y, yo, len);
        }
    }

    /** (x, y) <- (c x - s y, s x + c y) elementwise over len entries. */
    public static void rotate(double[] x, int xo, double[] y, int yo, int len, double c, double s) {
        if (VectorApi.PRESENT) {
            SimdVectorOps.rotate(x, xo, y, yo, len, c, s);
        } else {
            scalarRotate(x, xo, y, yo, len, c, s);
        }
    }

    static double scalarDot(double[] x, int xo, double[] y, int yo, int len) {
        double sum = 0;
        for (int i = 0; i < len; i++) {
            sum += x[xo + i] * y[yo + i];
        }
        return sum;
    }

    static void scalarAxpy(double alpha, double[] x, int xo, double[] y, int yo, int len) {
        for (int i = 0; i < len; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    static void scalarRotate(double[] x, int xo, double[] y, int yo, int len, double c, double s) {
        for (int i = 0; i < len; i++) {
            double xv = x[xo + i];
            double yv = y[yo + i];
            x[xo + i] = c * xv - s * yv;
            y[yo + i] = s * xv + c * yv;
        }
    }

    /** Row-major transpose of a [rows, cols] into a fresh [cols, rows]. */
    public static double[] transpose(int rows, int cols, double[] a) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    /**
     * The indices that sort {@code values}: {@code values[order[0]]} is the smallest (largest when {@code descending});
     * equal values keep their index order. {@code sorted} receives the values in that order.
     */
    static int[] sortedOrder(double[] values, boolean descending, double[] sorted) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> descending ? Double.compare(values[y], values[x])
                : Double.compare(values[x], values[y]));
        int[] out = new int[order.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = order[k];
            sorted[k] = values[out[k]];
        }
        return out;
    }
}
