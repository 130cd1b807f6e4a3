package dev.rba.core.linalg.dense;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link VectorOps}' loops on the Vector API, loaded only when the JVM has it; tails run the scalar loops. */
final class SimdVectorOps {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private SimdVectorOps() {
    }

    /** Vector lanes change the summation order, not the accuracy class. */
    static double dot(double[] x, int xo, double[] y, int yo, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        DoubleVector acc = DoubleVector.zero(S);
        for (; i < bound; i += L) {
            acc = DoubleVector.fromArray(S, x, xo + i).fma(DoubleVector.fromArray(S, y, yo + i), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD) + VectorOps.scalarDot(x, xo + i, y, yo + i, len - i);
    }

    static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        DoubleVector a = DoubleVector.broadcast(S, alpha);
        for (; i < bound; i += L) {
            a.fma(DoubleVector.fromArray(S, x, xo + i), DoubleVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        VectorOps.scalarAxpy(alpha, x, xo + i, y, yo + i, len - i);
    }

    static void rotate(double[] x, int xo, double[] y, int yo, int len, double c, double s) {
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
        VectorOps.scalarRotate(x, xo + i, y, yo + i, len - i, c, s);
    }
}
