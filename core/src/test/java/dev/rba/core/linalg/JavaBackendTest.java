package dev.rba.core.linalg;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;

import static dev.rba.core.linalg.TestData.*;
import static org.junit.jupiter.api.Assertions.*;

/** Closed-form and exact-reference checks of the pure-Java backend (the reference for all other backends). */
class JavaBackendTest {

    static JavaBackend java;

    @BeforeAll
    static void open() {
        java = new JavaBackend(2);
    }

    @AfterAll
    static void close() {
        java.close();
    }

    /**
     * Each Gram entry is an fp32 sum of at most FLUSH_ROWS = 8192 fp32 products (then added in fp64). Rounding errors
     * of a recursive fp32 sum of k terms behave like a random walk: |err| ~ sqrt(k) * 2^-24 * sum|x_ri x_rj|
     * (the worst case is k * 2^-24). 4x that typical size is safe yet still fails on any real indexing mistake.
     */
    static double gramTolerance(long rowsPerWindow, double absSum) {
        return 4 * Math.sqrt(Math.min(rowsPerWindow, 8192)) * U32 * absSum + 1e-30;
    }

    static void assertGramClose(double[] expected, double[] abs, double[] actual, long rows, String what) {
        for (int i = 0; i < expected.length; i++) {
            double tol = gramTolerance(rows, abs[i]);
            if (Math.abs(expected[i] - actual[i]) > tol) {
                fail(what + ": entry " + i + " expected " + expected[i] + " got " + actual[i] + " (tolerance " + tol + ")");
            }
        }
    }

    @Test
    void gramMatchesFp64ReferenceOnOddShapes() {
        Random rnd = new Random(1);
        for (int[] shape : new int[][] {{1, 1}, {5, 3}, {700, 37}, {1500, 100}, {10000, 70}}) {
            int rows = shape[0];
            int cols = shape[1];
            float[] x = gaussian(rnd, rows, cols);
            double[] abs = new double[cols * cols];
            double[] exact = exactGram(x, rows, cols, abs);
            try (Arena arena = Arena.ofConfined(); GramAccumulator acc = java.newGramAccumulator(cols)) {
                acc.add(segment(arena, x), rows);
                assertEquals(rows, acc.rows());
                assertGramClose(exact, abs, acc.gram(), rows, "gram " + rows + "x" + cols);
                double[] sums = acc.columnSums();
                for (int j = 0; j < cols; j++) {
                    double s = 0;
                    for (int r = 0; r < rows; r++) {
                        s += x[r * cols + j];
                    }
                    assertEquals(s, sums[j], 1e-12 * rows, "column sum " + j);
                }
            }
        }
    }

    @Test
    void zeroRowsContributeNothing() {
        Random rnd = new Random(3);
        int cols = 33;
        float[] x = gaussian(rnd, 50, cols);
        float[] padded = Arrays.copyOf(x, 80 * cols); // 30 zero rows of padding
        try (Arena arena = Arena.ofConfined();
             GramAccumulator a = java.newGramAccumulator(cols);
             GramAccumulator b = java.newGramAccumulator(cols)) {
            a.add(segment(arena, x), 50);
            b.add(segment(arena, padded), 80);
            assertArrayEquals(a.gram(), b.gram(), 0.0); // same fp32 sums: adding exact zeros changes no bit
            assertArrayEquals(a.columnSums(), b.columnSums(), 0.0);
        }
    }

    @Test
    void tooSmallBatchSegmentIsRejectedWithItsSize() {
        try (Arena arena = Arena.ofConfined(); GramAccumulator a = java.newGramAccumulator(10)) {
            MemorySegment s = arena.allocate(10 * 4 * 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(s, 4));
            assertTrue(e.getMessage().contains("120 bytes"), e.getMessage());
        }
    }

    @Test
    void choleskyRecoversPlantedSolution() {
        Random rnd = new Random(5);
        int n = 60, nrhs = 7;
        double[] a = spd(rnd, n, n); // condition number ~ 5: fp64 solve is accurate to ~1e-14
        double[] x = gaussianDouble(rnd, n * nrhs);
        double[] b = mul(a, x, n, n, nrhs);
        double[] aCopy = a.clone();
        assertTrue(java.choleskySolve(n, nrhs, a, b));
        assertArrayEquals(aCopy, a, 0.0, "A must not be modified");
        assertTrue(maxAbsDiff(x, b) < 1e-11, "error " + maxAbsDiff(x, b));
    }

    @Test
    void choleskyReportsIndefiniteAndSingularMatrices() {
        double[] indefinite = {2, 0, 0, 0, -1, 0, 0, 0, 3};
        assertFalse(java.choleskySolve(3, 1, indefinite, new double[3]));
        double[] singular = {1, 1, 1, 1};
        assertFalse(java.choleskySolve(2, 1, singular, new double[2]));
        double[] nan = {Double.NaN, 0, 0, 1};
        assertFalse(java.choleskySolve(2, 1, nan, new double[2]));
    }

    @Test
    void eigenFindsPlantedEigenvalues() {
        Random rnd = new Random(6);
        for (int n : new int[] {1, 2, 3, 17, 80}) {
            double[] lambda = new double[n];
            for (int i = 0; i < n; i++) {
                lambda[i] = (i % 3 == 0 ? -1 : 1) * Math.pow(1.3, i) + (i == 2 ? lambda[1] - 1.3 : 0);
            }
            if (n > 4) {
                lambda[4] = lambda[3]; // a repeated eigenvalue
            }
            double[] a = symmetricWithEigenvalues(rnd, lambda);
            double[] vectors = new double[n * n];
            double[] values = java.symmetricEigen(n, a, vectors);
            double[] sorted = lambda.clone();
            Arrays.sort(sorted);
            double scale = maxAbs(sorted);
            assertArrayEquals(sorted, values, 1e-12 * scale * n, "eigenvalues n=" + n);
            assertEigenpairs(n, a, values, vectors, 1e-12 * scale * n);
        }
    }

    static void assertEigenpairs(int n, double[] a, double[] values, double[] vectors, double tol) {
        double[] av = mul(a, vectors, n, n, n);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                assertEquals(values[k] * vectors[i * n + k], av[i * n + k], tol, "A v = lambda v at (" + i + "," + k + ")");
            }
        }
        double[] vtv = mul(transpose(vectors, n, n), vectors, n, n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(i == j ? 1 : 0, vtv[i * n + j], 1e-12 * n, "V^T V");
            }
        }
    }

    @Test
    void svdFindsPlantedSingularValuesTallWideAndRankDeficient() {
        Random rnd = new Random(7);
        for (int[] mnr : new int[][] {{1, 1, 1}, {40, 25, 25}, {25, 40, 25}, {30, 30, 12}, {50, 20, 0}}) {
            int m = mnr[0], n = mnr[1], rank = mnr[2];
            int k = Math.min(m, n);
            double[] s = new double[k];
            for (int i = 0; i < rank; i++) {
                s[i] = 10.0 / (1 + i);
            }
            double[] uq = randomOrthogonal(rnd, m);
            double[] vq = randomOrthogonal(rnd, n);
            double[] a = udvt(uq, m, s, vq, n);
            double[] u = new double[m * k];
            double[] vt = new double[k * n];
            double[] got = java.svd(m, n, a, u, vt);
            assertArrayEquals(s, got, 1e-12 * 10 * Math.max(m, n), "singular values " + Arrays.toString(mnr));
            assertSvdReconstructs(m, n, a, got, u, vt, 1e-12 * 10 * Math.max(m, n));
        }
    }

    static void assertSvdReconstructs(int m, int n, double[] a, double[] s, double[] u, double[] vt, double tol) {
        int k = Math.min(m, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int t = 0; t < k; t++) {
                    sum += u[i * k + t] * s[t] * vt[t * n + j];
                }
                assertEquals(a[i * n + j], sum, tol, "U S VT at (" + i + "," + j + ")");
            }
        }
        double[] utu = mul(transpose(u, m, k), u, k, m, k);
        double[] vvt = mul(vt, transpose(vt, k, n), k, n, k);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                assertEquals(i == j ? 1 : 0, utu[i * k + j], 1e-10, "U^T U");
                assertEquals(i == j ? 1 : 0, vvt[i * k + j], 1e-10, "VT VT^T");
            }
        }
    }

    @Test
    void qrLeastSquaresRecoversPlantedSolutionAndMatchesNormalEquations() {
        Random rnd = new Random(8);
        int m = 200, n = 30, nrhs = 4;
        double[] a = gaussianDouble(rnd, m * n);
        double[] x = gaussianDouble(rnd, n * nrhs);
        double[] b = mul(a, x, m, n, nrhs);
        assertTrue(maxAbsDiff(x, java.leastSquaresQR(m, n, nrhs, a, b)) < 1e-12);
        // with noise the answer is the normal-equation solution (A^T A) X = A^T B, solved independently here
        double[] noisy = b.clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += rnd.nextGaussian();
        }
        double[] at = transpose(a, m, n);
        double[] ata = mul(at, a, n, m, n);
        double[] atb = mul(at, noisy, n, m, nrhs);
        assertTrue(java.choleskySolve(n, nrhs, ata, atb));
        assertTrue(maxAbsDiff(atb, java.leastSquaresQR(m, n, nrhs, a, noisy)) < 1e-11);
    }

    @Test
    void qrLeastSquaresRejectsRankDeficientA() {
        int m = 10, n = 3;
        double[] a = new double[m * n];
        for (int i = 0; i < m; i++) {
            a[i * n] = i;
            a[i * n + 1] = 2 * i; // column 1 = 2 * column 0
            a[i * n + 2] = 1;
        }
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> java.leastSquaresQR(m, n, 1, a, new double[m]));
        assertTrue(e.getMessage().contains("rank-deficient"), e.getMessage());
    }
}
