package dev.rba.core.stats;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/** Test data: float32 activations [batch, tokens, d] on the heap (for reference loops) and off-heap copies. */
public final class Activations {

    private Activations() {
    }

    public static float[] random(Random rnd, int batch, int tokens, int d, double scale, double offset) {
        float[] x = new float[batch * tokens * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) (offset + scale * rnd.nextGaussian());
        return x;
    }

    /** y = x T (+ noise), each row of width d mapped to width e; fp64 products rounded to float. */
    public static float[] map(float[] x, int rows, int d, double[] t, int e, Random rnd, double noise) {
        float[] y = new float[rows * e];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < e; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) s += x[r * d + k] * t[k * e + j];
                y[r * e + j] = (float) (s + (noise > 0 ? noise * rnd.nextGaussian() : 0));
            }
        }
        return y;
    }

    public static MemorySegment offHeap(Arena arena, float[] values) {
        MemorySegment seg = arena.allocate((long) values.length * Float.BYTES, 64);
        MemorySegment.copy(values, 0, seg, ValueLayout.JAVA_FLOAT, 0, values.length);
        return seg;
    }

    public static double[] toDouble(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i];
        return out;
    }

    /** A random orthogonal [d, d] matrix by Gram-Schmidt on Gaussian columns. */
    public static double[] randomOrthogonal(Random rnd, int d) {
        double[] q = new double[d * d];
        for (int i = 0; i < q.length; i++) q[i] = rnd.nextGaussian();
        for (int j = 0; j < d; j++) {
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int k = 0; k < d; k++) dot += q[k * d + j] * q[k * d + p];
                for (int k = 0; k < d; k++) q[k * d + j] -= dot * q[k * d + p];
            }
            double norm = 0;
            for (int k = 0; k < d; k++) norm += q[k * d + j] * q[k * d + j];
            norm = Math.sqrt(norm);
            for (int k = 0; k < d; k++) q[k * d + j] /= norm;
        }
        return q;
    }
}
