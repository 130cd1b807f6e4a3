package dev.rba.core.linalg.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked fp32 inner kernel shared by the Java Gram and sgemm: {@code C[MB, W] += A^T B} over kc
 * steps, where at step p the kernel broadcasts MB values of the "A" panel and loads one W-wide row of the packed
 * "B" panel ({@code W = 2} vectors). With 512-bit vectors (16 lanes) MB = 8 gives 16 accumulators + 2 B vectors +
 * 1 broadcast = 19 of the 32 zmm registers; with 256- or 128-bit vectors (16 registers) MB = 4 gives 8
 * accumulators, so neither shape spills. Per step that is 2*MB FMAs for 2 loads + MB broadcasts.
 */
public final class MicroKernel {

    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Vector lanes. */
    public static final int LANES = SPECIES.length();
    /** Width of a packed B strip: two vectors. */
    public static final int W = 2 * LANES;
    /** Rows of C per kernel call (broadcasts per step). Divides W, which the Gram's packing relies on. */
    public static final int MB = LANES >= 16 ? 8 : 4;

    private MicroKernel() {
    }

    /**
     * C[c + i*ldc + (0..W)] += sum_p a[aOff + p*aStride + i] * b[bOff + p*W + (0..W)] for i in 0..MB, p in 0..kc.
     */
    public static void run(int kc, float[] a, int aOff, int aStride, float[] b, int bOff, float[] c, int cOff, int ldc) {
        if (MB == 8) {
            run8(kc, a, aOff, aStride, b, bOff, c, cOff, ldc);
        } else {
            run4(kc, a, aOff, aStride, b, bOff, c, cOff, ldc);
        }
    }

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
        for (int p = 0; p < kc; p++, ai += aStride, bi += W) {
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
        for (int p = 0; p < kc; p++, ai += aStride, bi += W) {
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
