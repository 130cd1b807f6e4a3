package dev.rba.core.linalg.simd;

import dev.rba.core.linalg.OperandChecks;
import dev.rba.core.linalg.SegmentThreads;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Pure-Java fp32 GEMM {@code C[m,n] = A[m,k] B[k,n]} (row-major, off-heap) with the Vector API micro-kernel.
 *
 * <p>Blocking: k is cut into blocks of {@link #KC} = 256 so that one packed B strip ({@code 256 x W} floats =
 * 32 KiB at 16 lanes) fits in L1 next to one packed A panel ({@code 256 x MB} floats = 8 KiB); all A panels of a
 * k block ({@code m x 256} floats) are meant to stay in L2. Threads take B strips (columns of C), so they never
 * write the same part of the fp32 result.
 */
public final class VectorSgemm {

    static final int KC = 256;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private VectorSgemm() {
    }

    public static void sgemm(WorkerPool pool, int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
        OperandChecks.sgemm(m, n, k, a, b, c);
        final int w = MicroKernel.W;
        final int mb = MicroKernel.MB;
        int strips = (n + w - 1) / w;
        int ldc = strips * w;
        int mBlocks = (m + mb - 1) / mb;
        float[] cs = new float[mBlocks * mb * ldc];
        float[] bp = new float[strips * KC * w];
        float[] ap = new float[mBlocks * KC * mb];
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            int first = p0;
            WorkerPool packers = SegmentThreads.accessibleByOtherThreads(a) && SegmentThreads.accessibleByOtherThreads(b) ? pool : WorkerPool.CALLER_ONLY;
            packers.run(strips, s -> {
                int c0 = s * w;
                int width = Math.min(w, n - c0);
                int dst = s * kc * w;
                for (int p = 0; p < kc; p++, dst += w) {
                    MemorySegment.copy(b, FLOAT, ((long) (first + p) * n + c0) * Float.BYTES, bp, dst, width);
                    if (width < w) {
                        Arrays.fill(bp, dst + width, dst + w, 0f);
                    }
                }
            });
            packers.run(mBlocks, ib -> {
                float[] row = new float[kc];
                int base = ib * kc * mb;
                for (int mi = 0; mi < mb; mi++) {
                    int i = ib * mb + mi;
                    if (i < m) {
                        MemorySegment.copy(a, FLOAT, ((long) i * k + first) * Float.BYTES, row, 0, kc);
                    } else {
                        Arrays.fill(row, 0f);
                    }
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * mb + mi] = row[p];
                    }
                }
            });
            pool.run(strips, s -> {
                for (int ib = 0; ib < mBlocks; ib++) {
                    MicroKernel.run(kc, ap, ib * kc * mb, mb, bp, s * kc * w, cs, ib * mb * ldc + s * w, ldc);
                }
            });
        }
        for (int i = 0; i < m; i++) {
            MemorySegment.copy(cs, i * ldc, c, FLOAT, (long) i * n * Float.BYTES, n);
        }
    }
}
