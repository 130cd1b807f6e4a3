package dev.rba.core.linalg;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;

import static dev.rba.core.linalg.TestData.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Differential tests of one backend against the pure-Java reference ({@link JavaBackend}) and against exact fp64
 * values, on random, rank-deficient and badly scaled inputs. Subclasses say how to open the backend (and skip with a
 * printed reason when it cannot exist on this machine, which only the GPU tests may do).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BackendContractTest {

    Backend backend;
    JavaBackend reference;
    /** Why the backend under test cannot be opened here, once its first test found out; null while it can. */
    private String skipReason;

    /** Opens the backend under test, or calls Assumptions.assumeTrue(false, reason) after printing the reason. */
    abstract Backend open();

    /**
     * Extra relative error per product on top of fp32 rounding: 0 for fp32 backends; TF32 rounds both inputs to a
     * 10-bit mantissa (unit roundoff 2^-11), so each product carries up to ~2 * 2^-11 relative error.
     */
    double inputRounding() {
        return 0;
    }

    /**
     * Opened before the first test, not in {@code @BeforeAll}: a class whose backend cannot exist here (no GPU) then
     * reports every one of its tests as skipped, with the reason, instead of vanishing from the test report.
     */
    @BeforeEach
    void openBackends() {
        if (skipReason != null) Assumptions.abort(skipReason);
        if (backend != null) return;
        try {
            backend = open();
        } catch (TestAbortedException e) {
            skipReason = e.getMessage();
            throw e;
        }
        reference = new JavaBackend(2);
    }

    @AfterAll
    void closeBackends() {
        if (backend != null) {
            backend.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    /** fp32 random-walk bound of {@link JavaBackendTest#gramTolerance} plus the input rounding (worst case, not random walk). */
    double tolerance(long k, double absSum) {
        return JavaBackendTest.gramTolerance(k, absSum) + 2 * inputRounding() * absSum;
    }

    double[] gramOf(Backend b, float[] x, int rows, int cols) {
        try (Arena arena = Arena.ofConfined(); GramAccumulator acc = b.newGramAccumulator(cols)) {
            acc.add(segment(arena, x), rows);
            assertEquals(rows, acc.rows());
            return acc.gram();
        }
    }

    @Test
    void gramMatchesExactAndJavaOnRandomRankDeficientAndBadlyScaledData() {
        Random rnd = new Random(11);
        int rows = 3000, cols = 75;
        for (String kind : new String[] {"random", "rank-deficient", "badly scaled"}) {
            float[] x = switch (kind) {
                case "random" -> gaussian(rnd, rows, cols);
                case "rank-deficient" -> rankDeficient(rnd, rows, cols, 9);
                default -> badlyScaled(rnd, rows, cols);
            };
            double[] abs = new double[cols * cols];
            double[] exact = exactGram(x, rows, cols, abs);
            double[] got = gramOf(backend, x, rows, cols);
            double[] java = gramOf(reference, x, rows, cols);
            for (int i = 0; i < exact.length; i++) {
                double tol = tolerance(rows, abs[i]);
                assertEquals(exact[i], got[i], tol, kind + " gram entry " + i + " vs exact");
                // both are within their bound of the exact value, so within the sum of the bounds of each other
                assertEquals(java[i], got[i], tol + JavaBackendTest.gramTolerance(rows, abs[i]), kind + " gram entry " + i + " vs java");
            }
        }
    }

    @Test
    void columnSumsAndRowCountMatchJava() {
        Random rnd = new Random(12);
        int rows = 2000, cols = 40;
        float[] x = badlyScaled(rnd, rows, cols);
        try (Arena arena = Arena.ofConfined(); GramAccumulator acc = backend.newGramAccumulator(cols)) {
            acc.add(segment(arena, x), rows);
            assertColumnSumsExact(acc, x, rows, cols, "column sums");
        }
    }

    /** Column sums against exact fp64 ones of {@code x}. */
    void assertColumnSumsExact(GramAccumulator acc, float[] x, int rows, int cols, String what) {
        double[] sums = acc.columnSums();
        for (int j = 0; j < cols; j++) {
            double exact = 0, abs = 0;
            for (int r = 0; r < rows; r++) {
                exact += x[r * cols + j];
                abs += Math.abs(x[r * cols + j]);
            }
            // fp32 sums per window (OpenBLAS sgemv, cuBLAS sgemm with a ones vector) behave like the Gram's
            assertEquals(exact, sums[j], tolerance(rows, abs), what + ": column sum " + j);
        }
    }

    @Test
    void batchesAddUpToTheConcatenation() {
        // each result is within tolerance() of the exact Gram, so they are within twice that of each other
        Random rnd = new Random(13);
        int cols = 50;
        int[] batchRows = {1000, 3, 0, 9000, 200};
        int total = Arrays.stream(batchRows).sum();
        float[] all = badlyScaled(rnd, total, cols);
        double[] abs = new double[cols * cols];
        exactGram(all, total, cols, abs);
        try (Arena arena = Arena.ofConfined();
             GramAccumulator one = backend.newGramAccumulator(cols);
             GramAccumulator many = backend.newGramAccumulator(cols)) {
            one.add(segment(arena, all), total);
            int offset = 0;
            for (int r : batchRows) {
                many.add(segment(arena, Arrays.copyOfRange(all, offset * cols, (offset + r) * cols)), r);
                offset += r;
            }
            assertEquals(total, many.rows());
            double[] g1 = one.gram();
            double[] g2 = many.gram();
            for (int i = 0; i < g1.length; i++) {
                assertEquals(g1[i], g2[i], 2 * tolerance(total, abs[i]), "entry " + i);
            }
            double[] s1 = one.columnSums();
            double[] s2 = many.columnSums();
            for (int j = 0; j < cols; j++) {
                double absSum = 0;
                for (int r = 0; r < total; r++) absSum += Math.abs(all[r * cols + j]);
                assertEquals(s1[j], s2[j], 2 * tolerance(total, absSum), "column sum " + j);
            }
        }
    }

    /** Checks a Gram and column sums against the exact ones of {@code all}. */
    void assertMatchesExact(GramAccumulator acc, float[] all, int rows, int cols, String what) {
        double[] abs = new double[cols * cols];
        double[] exact = exactGram(all, rows, cols, abs);
        assertEquals(rows, acc.rows(), what + ": row count");
        double[] got = acc.gram();
        for (int i = 0; i < exact.length; i++) {
            assertEquals(exact[i], got[i], tolerance(rows, abs[i]), what + ": gram entry " + i);
        }
        assertColumnSumsExact(acc, all, rows, cols, what);
    }

    @Test
    void hostBuffersFromTheBackendWorkAcrossManyFlushes() {
        // 150,000 rows: more than two device flush windows (65,536 rows), in batches that straddle their edges
        Random rnd = new Random(15);
        int rows = 150_000, cols = 6, batch = 40_000;
        float[] all = gaussian(rnd, rows, cols);
        try (Arena arena = Arena.ofShared(); GramAccumulator acc = backend.newGramAccumulator(cols)) {
            MemorySegment host = backend.allocateHost((long) rows * cols * Float.BYTES, arena);
            MemorySegment.copy(all, 0, host, ValueLayout.JAVA_FLOAT, 0, all.length);
            for (int r = 0; r < rows; r += batch) {
                int k = Math.min(batch, rows - r);
                acc.add(host.asSlice((long) r * cols * Float.BYTES, (long) k * cols * Float.BYTES), k);
            }
            assertMatchesExact(acc, all, rows, cols, "host buffer");
        }
    }

    @Test
    void theCallerMayRefillItsBufferAsSoonAsAddReturns() {
        // what the analysis does: one batch buffer, refilled after every add. An upload still reading it would
        // mix the next batch into this one.
        Random rnd = new Random(16);
        int batch = 20_000, cols = 24, batches = 5;
        float[] all = gaussian(rnd, batch * batches, cols);
        for (String kind : new String[] {"backend host buffer", "shared arena", "confined arena"}) {
            try (Arena arena = kind.equals("confined arena") ? Arena.ofConfined() : Arena.ofShared();
                 GramAccumulator acc = backend.newGramAccumulator(cols)) {
                long bytes = (long) batch * cols * Float.BYTES;
                MemorySegment buf = kind.equals("backend host buffer") ? backend.allocateHost(bytes, arena) : arena.allocate(bytes, 64);
                for (int b = 0; b < batches; b++) {
                    MemorySegment.copy(all, b * batch * cols, buf, ValueLayout.JAVA_FLOAT, 0, batch * cols);
                    acc.add(buf, batch);
                }
                assertMatchesExact(acc, all, batch * batches, cols, kind);
            }
        }
    }

    @Test
    void readingTheGramMidwayDoesNotDisturbLaterBatches() {
        Random rnd = new Random(17);
        int cols = 10, first = 70_000, second = 9_000;
        float[] all = gaussian(rnd, first + second, cols);
        try (Arena arena = Arena.ofShared(); GramAccumulator acc = backend.newGramAccumulator(cols)) {
            MemorySegment host = backend.allocateHost((long) all.length * Float.BYTES, arena);
            MemorySegment.copy(all, 0, host, ValueLayout.JAVA_FLOAT, 0, all.length);
            acc.add(host, first);
            assertMatchesExact(acc, Arrays.copyOf(all, first * cols), first, cols, "first part");
            // the second part from the heap, the first from the backend's memory: both paths into one sum
            acc.add(MemorySegment.ofArray(Arrays.copyOfRange(all, first * cols, all.length)), second);
            assertMatchesExact(acc, all, first + second, cols, "both parts");
        }
    }

    @Test
    void heapSegmentsWork() {
        Random rnd = new Random(14);
        int rows = 100, cols = 20;
        float[] x = gaussian(rnd, rows, cols);
        double[] abs = new double[cols * cols];
        double[] exact = exactGram(x, rows, cols, abs);
        try (GramAccumulator acc = backend.newGramAccumulator(cols)) {
            acc.add(MemorySegment.ofArray(x), rows);
            double[] got = acc.gram();
            for (int i = 0; i < exact.length; i++) {
                assertEquals(exact[i], got[i], tolerance(rows, abs[i]));
            }
        }
    }

    @Test
    void sgemmMatchesExactAndJava() {
        Random rnd = new Random(15);
        for (int[] mnk : new int[][] {{1, 1, 1}, {37, 70, 300}, {64, 96, 600}, {9, 5, 1000}, {128, 96, 1000}}) {
            int m = mnk[0], n = mnk[1], k = mnk[2];
            float[] a = badlyScaled(rnd, m, k);
            float[] b = gaussian(rnd, k, n);
            double[] abs = new double[m * n];
            double[] exact = exactProduct(a, b, m, n, k, abs);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment c = arena.allocate((long) m * n * 4);
                backend.sgemm(m, n, k, segment(arena, a), segment(arena, b), c);
                float[] got = floats(c, m * n);
                for (int i = 0; i < m * n; i++) {
                    assertEquals(exact[i], got[i], 4 * Math.sqrt(k) * U32 * abs[i] + 2 * inputRounding() * abs[i] + 1e-30,
                            "C[" + i + "] of " + Arrays.toString(mnk));
                }
            }
        }
    }

    @Test
    void dgemmMatchesThePlainProductAndRefusesShortOperands() {
        int m = 23, k = 41, n = 17;
        double[] ab = gaussianDouble(new Random(21), m * k + k * n); // A's values, then B's
        double[] a = Arrays.copyOf(ab, m * k);
        double[] b = Arrays.copyOfRange(ab, m * k, ab.length);
        double[] exact = mul(a, b, m, k, n);
        // each entry sums 41 products of N(0,1) values: fp64 rounding is far below 1e-12 of the largest
        assertArrayEquals(exact, backend.dgemm(m, n, k, a, b), 1e-12 * maxAbs(exact));
        assertEquals(0, backend.dgemm(0, n, k, new double[0], b).length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.dgemm(m, n, k, a, new double[k * n - 1]));
        assertTrue(e.getMessage().startsWith("product operand B [k,n] must hold at least " + k * n), e.getMessage());
    }

    @Test
    void choleskySolveMatchesJavaAndReportsNonSpd() {
        Random rnd = new Random(16);
        int n = 50, nrhs = 6;
        double[] a = spd(rnd, n, 1); // condition number ~1e3-1e4: solutions agree to ~1e-12 relative in fp64
        double[] b = gaussianDouble(rnd, n * nrhs);
        double[] bRef = b.clone();
        assertTrue(backend.choleskySolve(n, nrhs, a.clone(), b));
        assertTrue(reference.choleskySolve(n, nrhs, a.clone(), bRef));
        assertTrue(maxAbsDiff(b, bRef) <= 1e-10 * maxAbs(bRef), "difference " + maxAbsDiff(b, bRef));
        assertFalse(backend.choleskySolve(3, 1, new double[] {2, 0, 0, 0, -1, 0, 0, 0, 3}, new double[3]));
    }

    @Test
    void eigenMatchesJava() {
        Random rnd = new Random(17);
        int n = 40;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = (i - 10) * 0.75 + 1e-3 * i * i; // distinct, some negative, one near zero
        }
        double[] a = symmetricWithEigenvalues(rnd, lambda);
        double[] v = new double[n * n];
        double[] vRef = new double[n * n];
        double[] w = backend.symmetricEigen(n, a.clone(), v);
        double[] wRef = reference.symmetricEigen(n, a.clone(), vRef);
        assertArrayEquals(wRef, w, 1e-11 * maxAbs(wRef));
        assertArrayEquals(w, backend.symmetricEigen(n, a.clone(), null), 1e-11 * maxAbs(wRef));
        JavaBackendTest.assertEigenpairs(n, a, w, v, 1e-10);
        for (int k = 0; k < n; k++) { // eigenvectors of distinct eigenvalues agree up to sign
            double dot = 0;
            for (int i = 0; i < n; i++) {
                dot += v[i * n + k] * vRef[i * n + k];
            }
            assertEquals(1.0, Math.abs(dot), 1e-8, "eigenvector " + k);
        }
    }

    @Test
    void svdMatchesJavaOnTallWideAndRankDeficientMatrices() {
        Random rnd = new Random(18);
        for (int[] mnr : new int[][] {{30, 20, 20}, {20, 30, 20}, {25, 25, 7}}) {
            int m = mnr[0], n = mnr[1], rank = mnr[2];
            int k = Math.min(m, n);
            double[] f = gaussianDouble(rnd, m * rank);
            double[] g = gaussianDouble(rnd, rank * n);
            double[] a = mul(f, g, m, rank, n);
            double[] u = new double[m * k];
            double[] vt = new double[k * n];
            double[] s = backend.svd(m, n, a.clone(), u, vt);
            double[] sRef = reference.svd(m, n, a.clone(), null, null);
            assertArrayEquals(sRef, s, 1e-11 * sRef[0], "singular values " + Arrays.toString(mnr));
            for (int i = rank; i < k; i++) {
                assertTrue(s[i] < 1e-12 * s[0], "zero singular value " + i + " = " + s[i]);
            }
            double[] uS = new double[m * k];
            for (int i = 0; i < m; i++) {
                for (int t = 0; t < k; t++) {
                    uS[i * k + t] = u[i * k + t] * s[t];
                }
            }
            assertTrue(maxAbsDiff(a, mul(uS, vt, m, k, n)) < 1e-11 * s[0], "U S VT reconstructs A");
        }
    }

    @Test
    void qrLeastSquaresMatchesJavaAndRejectsRankDeficientA() {
        Random rnd = new Random(19);
        int m = 300, n = 25, nrhs = 3;
        float[] af = badlyScaled(rnd, m, n);
        double[] a = new double[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = af[i];
        }
        double[] b = gaussianDouble(rnd, m * nrhs);
        double[] x = backend.leastSquaresQR(m, n, nrhs, a.clone(), b.clone());
        double[] xRef = reference.leastSquaresQR(m, n, nrhs, a.clone(), b.clone());
        // columns span 1e-3..1e3 (condition ~1e6): solutions agree to ~cond * 1e-16 relative per column scale
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < nrhs; c++) {
                double scale = Math.abs(xRef[i * nrhs + c]) + maxAbs(xRef) * 1e-6;
                assertEquals(xRef[i * nrhs + c], x[i * nrhs + c], 1e-8 * scale, "x[" + i + "," + c + "]");
            }
        }
        double[] deficient = mul(gaussianDouble(rnd, m * 3), gaussianDouble(rnd, 3 * 5), m, 3, 5);
        assertThrows(ArithmeticException.class, () -> backend.leastSquaresQR(m, 5, 1, deficient, new double[m]));
    }

    @Test
    void solversRefuseOperandsTooShortForTheirDimensionsAsTheReferenceDoes() {
        assertSameRefusal("Cholesky A", b -> b.choleskySolve(2, 1, new double[3], new double[2]));
        assertSameRefusal("Cholesky B", b -> b.choleskySolve(2, 1, new double[4], new double[1]));
        assertSameRefusal("eigen A", b -> b.symmetricEigen(2, new double[3], null));
        assertSameRefusal("eigenvectors", b -> b.symmetricEigen(2, new double[4], new double[3]));
        assertSameRefusal("SVD A", b -> b.svd(3, 2, new double[5], null, null));
        assertSameRefusal("SVD U", b -> b.svd(3, 2, new double[6], new double[5], null));
        assertSameRefusal("SVD VT", b -> b.svd(3, 2, new double[6], null, new double[3]));
        assertSameRefusal("QR wide A", b -> b.leastSquaresQR(1, 2, 1, new double[2], new double[1]));
        assertSameRefusal("QR B", b -> b.leastSquaresQR(3, 2, 1, new double[6], new double[2]));
    }

    /** {@code call} on the backend under test fails as on the reference: an IllegalArgumentException, same words. */
    private void assertSameRefusal(String what, java.util.function.Consumer<Backend> call) {
        String expected = assertThrows(IllegalArgumentException.class, () -> call.accept(reference), what).getMessage();
        String got = assertThrows(IllegalArgumentException.class, () -> call.accept(backend), what).getMessage();
        assertEquals(expected, got, what);
    }
}
