package dev.rba.nativelib.cblas;

import static dev.rba.nativelib.TestMatrices.rowMajorGemm;
import static dev.rba.nativelib.TestMatrices.toDouble;
import static dev.rba.nativelib.cblas.cblas_h.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rba.nativelib.TestMatrices;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** CBLAS through the process-wide OpenBLAS (the bundled one unless rba.openblas.path says otherwise) vs naive loops. */
class CblasTest {
    private static final Random RANDOM = new Random(42);

    static float[] randomFloats(int n) {
        return TestMatrices.uniformFloats(RANDOM, n);
    }

    static double[] randomDoubles(int n) {
        return TestMatrices.uniform(RANDOM, n);
    }

    @Test
    void sgemmMatchesNaiveLoopWithTransposes() {
        int m = 7, n = 5, k = 9;
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                float[] a = randomFloats(m * k);
                float[] b = randomFloats(k * n);
                float[] c0 = randomFloats(m * n);
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment sa = arena.allocateFrom(ValueLayout.JAVA_FLOAT, a);
                    MemorySegment sb = arena.allocateFrom(ValueLayout.JAVA_FLOAT, b);
                    MemorySegment sc = arena.allocateFrom(ValueLayout.JAVA_FLOAT, c0);
                    // C = 2 op(A) op(B) + 0.5 C
                    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k,
                            2.0f, sa, transA ? m : k, sb, transB ? k : n, 0.5f, sc, n);
                    double[] expected = rowMajorGemm(toDouble(a), transA, toDouble(b), transB, m, n, k);
                    float[] c = sc.toArray(ValueLayout.JAVA_FLOAT);
                    for (int i = 0; i < m * n; i++) {
                        assertEquals(2 * expected[i] + 0.5 * c0[i], c[i], 1e-5, "transA=" + transA + " transB=" + transB + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void dgemmColumnMajorMatchesNaiveLoop() {
        int m = 4, n = 3, k = 6;
        double[] a = randomDoubles(m * k);
        double[] b = randomDoubles(k * n);
        try (Arena arena = Arena.ofConfined()) {
            // column-major A (m×k) is the row-major k×m array of A^T: pass the same bytes and read C^T back
            MemorySegment sa = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, a);
            MemorySegment sb = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, b);
            MemorySegment sc = arena.allocate(ValueLayout.JAVA_DOUBLE, (long) m * n);
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0, sa, m, sb, k, 0.0, sc, m);
            // In row-major terms: A is stored as A^T (k×m), B as B^T (n×k), C as C^T (n×m): C^T = B^T A^T.
            double[] expectedT = rowMajorGemm(b, false, a, false, n, m, k);
            double[] c = sc.toArray(ValueLayout.JAVA_DOUBLE);
            for (int i = 0; i < m * n; i++) {
                assertEquals(expectedT[i], c[i], 1e-12, "at " + i);
            }
        }
    }

    @Test
    void ssyrkUpperTriangleIsATransposeA() {
        int n = 6, k = 11; // C (n×n) = A^T A with A k×n, the Gram matrix rba accumulates
        float[] a = randomFloats(k * n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocateFrom(ValueLayout.JAVA_FLOAT, a);
            MemorySegment sc = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * n);
            cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, n, k, 1.0f, sa, n, 0.0f, sc, n);
            double[] expected = rowMajorGemm(toDouble(a), true, toDouble(a), false, n, n, k);
            float[] c = sc.toArray(ValueLayout.JAVA_FLOAT);
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    assertEquals(expected[i * n + j], c[i * n + j], 1e-5, "C[" + i + "," + j + "]");
                }
                for (int j = 0; j < i; j++) {
                    assertEquals(0.0f, c[i * n + j], "the lower triangle must be left untouched");
                }
            }
        }
    }

    @Test
    void dsyrkAndDgemvMatchNaiveLoops() {
        int n = 5, k = 8;
        double[] a = randomDoubles(k * n);
        double[] x = randomDoubles(n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, a);
            MemorySegment sc = arena.allocate(ValueLayout.JAVA_DOUBLE, (long) n * n);
            cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, n, k, 1.0, sa, n, 0.0, sc, n);
            double[] expected = rowMajorGemm(a, true, a, false, n, n, k);
            double[] c = sc.toArray(ValueLayout.JAVA_DOUBLE);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    assertEquals(expected[i * n + j], c[i * n + j], 1e-12);
                }
            }
            // y = A x, A k×n
            MemorySegment sx = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, x);
            MemorySegment sy = arena.allocate(ValueLayout.JAVA_DOUBLE, k);
            cblas_dgemv(CblasRowMajor, CblasNoTrans, k, n, 1.0, sa, n, sx, 1, 0.0, sy, 1);
            double[] y = sy.toArray(ValueLayout.JAVA_DOUBLE);
            double[] expectedY = rowMajorGemm(a, false, x, false, k, 1, n);
            for (int i = 0; i < k; i++) {
                assertEquals(expectedY[i], y[i], 1e-12);
            }
            // single precision gemv with the transpose: y = A^T x', x' of length k
            float[] af = randomFloats(k * n);
            float[] xf = randomFloats(k);
            MemorySegment saf = arena.allocateFrom(ValueLayout.JAVA_FLOAT, af);
            MemorySegment sxf = arena.allocateFrom(ValueLayout.JAVA_FLOAT, xf);
            MemorySegment syf = arena.allocate(ValueLayout.JAVA_FLOAT, n);
            cblas_sgemv(CblasRowMajor, CblasTrans, k, n, 1.0f, saf, n, sxf, 1, 0.0f, syf, 1);
            double[] expectedYf = rowMajorGemm(toDouble(af), true, toDouble(xf), false, n, 1, k);
            float[] yf = syf.toArray(ValueLayout.JAVA_FLOAT);
            for (int i = 0; i < n; i++) {
                assertEquals(expectedYf[i], yf[i], 1e-5);
            }
        }
    }

    @Test
    void threadsAndConfigAreReported() {
        String config = dev.rba.nativelib.Downcalls.cString(openblas_get_config());
        assertNotNull(config);
        assertTrue(config.contains("OpenBLAS"), config);
        int before = openblas_get_num_threads();
        assertTrue(before >= 1);
        openblas_set_num_threads(1);
        assertEquals(1, openblas_get_num_threads());
        openblas_set_num_threads(before);
        assertEquals(before, openblas_get_num_threads());
    }
}
