package dev.rba.core.linalg;

import dev.rba.core.linalg.openblas.OpenBlasGramAccumulator;
import dev.rba.core.linalg.simd.WorkerPool;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static dev.rba.core.linalg.TestData.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The OpenBLAS Gram cut into tiles (syrk on the diagonal bands, sgemm off it) that several threads share, against
 * the exact fp64 Gram of the same floats: every entry of the upper triangle, the mirrored lower one and the column
 * sums, over windows of the tile layout that do not divide evenly, and across more than one flush window.
 */
class OpenBlasTiledGramTest {

    @Test
    void tilesOnThreeWorkersGiveTheExactGram() {
        // 400 columns: three bands of 133-134 (six tiles) for three workers; 9,000 rows: two flush windows
        int rows = 9000, cols = 400;
        float[] x = badlyScaled(new Random(11), rows, cols);
        try (OpenBlasBackend backend = new OpenBlasBackend();
             WorkerPool pool = new WorkerPool(3);
             Arena arena = Arena.ofShared();
             GramAccumulator acc = new OpenBlasGramAccumulator(cols, pool)) {
            assertEquals("openblas", backend.name()); // the backend switched OpenBLAS to one thread
            MemorySegment s = segment(arena, x);
            acc.add(s.asSlice(0, 4000L * cols * Float.BYTES), 4000);
            acc.add(s.asSlice(4000L * cols * Float.BYTES), rows - 4000);
            assertExact(acc, x, rows, cols);
        }
    }

    /** Every Gram entry (both triangles) and column sum against fp64 sums of the same floats. */
    private static void assertExact(GramAccumulator acc, float[] x, int rows, int cols) {
        assertEquals(rows, acc.rows());
        double[] abs = new double[cols * cols];
        double[] exact = exactGram(x, rows, cols, abs);
        double[] got = acc.gram();
        for (int i = 0; i < exact.length; i++) {
            assertEquals(exact[i], got[i], JavaBackendTest.gramTolerance(rows, abs[i]), "gram entry " + i);
        }
        double[] sums = acc.columnSums();
        for (int j = 0; j < cols; j++) {
            double e = 0;
            double a = 0;
            for (int r = 0; r < rows; r++) {
                e += x[r * cols + j];
                a += Math.abs(x[r * cols + j]);
            }
            assertEquals(e, sums[j], JavaBackendTest.gramTolerance(rows, a), "column sum " + j);
        }
    }

    @Test
    void sgemmInRowBandsMatchesTheExactProduct() {
        Random rnd = new Random(12);
        int m = 37, n = 29, k = 300;
        float[] a = gaussian(rnd, m, k);
        float[] b = gaussian(rnd, k, n);
        double[] abs = new double[m * n];
        double[] exact = exactProduct(a, b, m, n, k, abs);
        try (OpenBlasBackend backend = new OpenBlasBackend(); Arena arena = Arena.ofShared()) {
            MemorySegment c = arena.allocate((long) m * n * Float.BYTES, 64);
            backend.sgemm(m, n, k, segment(arena, a), segment(arena, b), c);
            float[] got = floats(c, m * n);
            for (int i = 0; i < exact.length; i++) {
                assertEquals(exact[i], got[i], JavaBackendTest.gramTolerance(k, abs[i]), "C entry " + i);
            }
        }
    }

    @Test
    void bandsAreAtLeast128ColumnsAndTwoPerWorker() {
        assertEquals(1, OpenBlasGramAccumulator.bands(5000, 1));
        assertEquals(1, OpenBlasGramAccumulator.bands(200, 4));
        assertEquals(3, OpenBlasGramAccumulator.bands(400, 3));
        assertEquals(4, OpenBlasGramAccumulator.bands(1536, 2));
    }
}
