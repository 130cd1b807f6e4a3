package dev.rba.core.linalg.dense;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** fp64 dot product, axpy and plane rotation on contiguous array ranges: the inner loops of the Java solvers. */
public final class VectorOps {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorOps() {
    }

    /** sum_i x[xo+i] * y[yo+i] for i in 0..len. Vector lanes change the summation order, not the accuracy class. */
    public static double dot(double[] x, int xo, double[] y, int yo, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        DoubleVector acc = DoubleVector.zero(S);
        for (; i < bound; i += L) {
            acc = DoubleVector.fromArray(S, x, xo + i).fma(DoubleVector.fromArray(S, y, yo + i), acc);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            sum += x[xo + i] * y[yo + i];
        }
        return sum;
    }

    /** y[yo+i] += alpha * x[xo+i] for i in 0..len. */
    public static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int len) {
        if (alpha == 0) {
            return;
        }
        int i = 0;
        int bound = S.loopBound(len);
        DoubleVector a = DoubleVector.broadcast(S, alpha);
        for (; i < bound; i += L) {
            a.fma(DoubleVector.fromArray(S, x, xo + i), DoubleVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < len; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    /** (x, y) <- (c x - s y, s x + c y) elementwise over len entries. */
    public static void rotate(double[] x, int xo, double[] y, int yo, int len, double c, double s) {
        int i = 0;
        int bound = S.loopBound(len);
        DoubleVector vc = DoubleVector.broadcast(S, c);
        DoubleVector vs = DoubleVector.broadcast(S, s);
        for (; i < bound; i += L) {
            DoubleVector xv = DoubleVector.fromArray(S, x, xo + i);
            DoubleVector yv = DoubleVector.fromArray(S, y, yo + i);
            xv.mul(vc).sub(yv.mul(vs)).intoArray(x, xo + i);
            xv.mul(vs).add(yv.mul(vc)).intoArray(y, yo + i);
        }
        for (; i < len; i++) {
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

    static void requireLength(String what, double[] a, long need) {
        if (a == null || a.length < need) {
            throw new IllegalArgumentException(what + " must hold at least " + need + " doubles but has "
                    + (a == null ? "null" : a.length) + "; check the dimensions passed with it");
        }
    }
}
