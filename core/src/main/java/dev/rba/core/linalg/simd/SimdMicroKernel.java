package dev.rba.core.linalg.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MicroKernel} on the Vector API, loaded only when {@link VectorApi#PRESENT}: MB broadcasts of A and two
 * vector loads of B per step feed 2*MB FMAs into 2*MB accumulators that stay in registers.
 */
final class SimdMicroKernel {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Vector lanes; {@link MicroKernel} derives W and MB from them (read here only, so no init cycle). */
    static final int LANES = SPECIES.length();

    private SimdMicroKernel() {
    }

    /** {@link MicroKernel#run}. */
    static void run(int kc, float[] a, int aOff, int aStride, float[] b, int bOff, float[] c, int cOff, int ldc) {
        if (MicroKernel.MB == 8) {
            run8(kc, a, aOff, aStride, b, bOff, c, cOff, ldc);
        } else {
            run4(kc, a, aOff, aStride, b, bOff, c, cOff, ldc);
        }
    }

    /*
     * run8 repeats run4's four rows instead of calling it twice on rows 0-3 and 4-7: two passes load B's vectors twice
     * per step, and measured slower (rba bench linalg --backend java --ops gram,sgemm --rows 20000 --dim 512, one
     * thread, six alternating runs on a loaded 2-core AVX-512 machine: gram best 0.0743 s vs 0.0626 s, median 0.094 s
     * vs 0.076 s; sgemm median 0.151 s vs 0.130 s).
     */
    private static void run8(int kc, float[] a, int aOff, int aStride, float[] b, int bOff, float[] c, int cOff, int ldc) {
        final VectorSpecies<Float> s = SPECIES;
        final int l = LANES;
        FloatVector c00 = FloatVector.fromArray(s, c, cOff), c01 = FloatVector.fromArray(s, c, cOff + l);
        FloatVector c10 = FloatVector.fromArray(s, c, cOff + ldc), c11 = FloatVector.fromArray(s, c, cOff + ldc + l);
        FloatVector c20 = FloatVector.fromArray(s, c, cOff + 2 * ldc), c21 = FloatVector.fromArray(s, c, cOff + 2 * ldc + l);
        FloatVector c30 = FloatVector.fromArray(s, c, cOff + 3 * ldc), c31 = FloatVector.fromArray(s, c, cOff + 3 * ldc + l);
        FloatVector c40 = FloatVector.fromArray(s, c, cOff + 4 * ldc), c41 = FloatVector.fromArray(s, c, cOff + 4 * ldc + l);
        FloatVector c50 = FloatVector.fromArray(s, c, cOff + 5 * ldc), c51 = FloatVector.fromArray(s, c, cOff + 5 * ldc + l);
        FloatVector c60 = FloatVector.fromArray(s, c, cOff + 6 * ldc), c61 = FloatVector.fromArray(s, c, cOff + 6 * ldc + l);
        FloatVector c70 = FloatVector.fromArray(s, c, cOff + 7 * ldc), c71 = FloatVector.fromArray(s, c, cOff + 7 * ldc + l);
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += aStride, bi += MicroKernel.W) {
            FloatVector b0 = FloatVector.fromArray(s, b, bi);
            FloatVector b1 = FloatVector.fromArray(s, b, bi + l);
            FloatVector x = FloatVector.broadcast(s, a[ai]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(s, a[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(s, a[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(s, a[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(s, a[ai + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(s, a[ai + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(s, a[ai + 6]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(s, a[ai + 7]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + l);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + l);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + l);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + l);
        c40.intoArray(c, cOff + 4 * ldc); c41.intoArray(c, cOff + 4 * ldc + l);
        c50.intoArray(c, cOff + 5 * ldc); c51.intoArray(c, cOff + 5 * ldc + l);
        c60.intoArray(c, cOff + 6 * ldc); c61.intoArray(c, cOff + 6 * ldc + l);
        c70.intoArray(c, cOff + 7 * ldc); c71.intoArray(c, cOff + 7 * ldc + l);
    }

    private static void run4(int kc, float[] a, int aOff, int aStride, float[] b, int bOff, float[] c, int cOff, int ldc) {
        final VectorSpecies<Float> s = SPECIES;
        final int l = LANES;
        FloatVector c00 = FloatVector.fromArray(s, c, cOff), c01 = FloatVector.fromArray(s, c, cOff + l);
        FloatVector c10 = FloatVector.fromArray(s, c, cOff + ldc), c11 = FloatVector.fromArray(s, c, cOff + ldc + l);
        FloatVector c20 = FloatVector.fromArray(s, c, cOff + 2 * ldc), c21 = FloatVector.fromArray(s, c, cOff + 2 * ldc + l);
        FloatVector c30 = FloatVector.fromArray(s, c, cOff + 3 * ldc), c31 = FloatVector.fromArray(s, c, cOff + 3 * ldc + l);
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += aStride, bi += MicroKernel.W) {
            FloatVector b0 = FloatVector.fromArray(s, b, bi);
            FloatVector b1 = FloatVector.fromArray(s, b, bi + l);
            FloatVector x = FloatVector.broadcast(s, a[ai]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(s, a[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(s, a[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(s, a[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + l);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + l);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + l);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + l);
    }
}
