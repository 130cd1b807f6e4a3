package dev.rba.core.linalg.simd;

/**
 * The register-blocked fp32 inner kernel shared by the Java Gram and sgemm: {@code C[MB, W] += A^T B} over kc
 * steps, where at step p the kernel broadcasts MB values of the "A" panel and loads one W-wide row of the packed
 * "B" panel ({@code W} = two vectors). On the Vector API ({@link SimdMicroKernel}) when the JVM has it, else a
 * scalar loop over the same packed layout (the JIT may still use SIMD for its inner loop).
 */
public final class MicroKernel {

    /** Vector lanes of the preferred fp32 species; 8 (one AVX2 register) stands in for it without the Vector API. */
    static final int LANES = VectorApi.PRESENT ? SimdMicroKernel.LANES : 8;
    /** Width of a packed B strip: two vectors. */
    public static final int W = 2 * LANES;
    /**
     * Rows of C per kernel call (broadcasts per step). Divides W, which the Gram's packing relies on. With 512-bit
     * vectors (16 lanes) MB = 8 gives 16 accumulators + 2 B vectors + 1 broadcast = 19 of the 32 zmm registers; with
     * 256- or 128-bit vectors (16 registers) MB = 4 gives 8 accumulators, so neither shape spills.
     */
    public static final int MB = LANES >= 16 ? 8 : 4;

    private MicroKernel() {
    }

    /** What runs the products, e.g. "Vector API Species[float, 16, S_512_BIT], kernel 8x32". */
    public static String describe() {
        return VectorApi.note() + ", kernel " + MB + "x" + W;
    }

    /**
     * C[c + i*ldc + (0..W)] += sum_p a[aOff + p*aStride + i] * b[bOff + p*W + (0..W)] for i in 0..MB, p in 0..kc.
     */
    public static void run(int kc, float[] a, int aOff, int aStride, float[] b, int bOff, float[] c, int cOff, int ldc) {
        if (VectorApi.PRESENT) {
            SimdMicroKernel.run(kc, a, aOff, aStride, b, bOff, c, cOff, ldc);
        } else {
            runScalar(kc, a, aOff, aStride, b, bOff, c, cOff, ldc);
        }
    }

    /**
     * Without the Vector API: 2 x 4 tiles of C held in locals (8 accumulators, 2 + 4 loads per 8 multiply-adds), which
     * the JIT keeps in registers; measured 2-3x faster than a loop over whole rows of C, which it did not vectorize.
     */
    private static void runScalar(int kc, float[] a, int aOff, int aStride, float[] b, int bOff, float[] c, int cOff,
                                  int ldc) {
        for (int i = 0; i < MB; i += 2) {
            for (int j = 0; j < W; j += 4) {
                int r0 = cOff + i * ldc + j;
                int r1 = r0 + ldc;
                float c00 = c[r0], c01 = c[r0 + 1], c02 = c[r0 + 2], c03 = c[r0 + 3];
                float c10 = c[r1], c11 = c[r1 + 1], c12 = c[r1 + 2], c13 = c[r1 + 3];
                for (int p = 0, ai = aOff + i, bi = bOff + j; p < kc; p++, ai += aStride, bi += W) {
                    float x0 = a[ai];
                    float x1 = a[ai + 1];
                    float b0 = b[bi], b1 = b[bi + 1], b2 = b[bi + 2], b3 = b[bi + 3];
                    c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
                    c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
                }
                c[r0] = c00; c[r0 + 1] = c01; c[r0 + 2] = c02; c[r0 + 3] = c03;
                c[r1] = c10; c[r1 + 1] = c11; c[r1 + 2] = c12; c[r1 + 3] = c13;
            }
        }
    }
}
