package dev.rba.nativelib.lapacke;

import dev.rba.nativelib.TestMatrices;
import static dev.rba.nativelib.lapacke.lapacke_h.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rba.nativelib.LapackInfoException;
import dev.rba.nativelib.LapackeStatus;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** LAPACKE through the process-wide library, against closed-form answers. */
class LapackeTest {

    @Test
    void dgelsRecoversExactSolutionOfConsistentSystem() {
        // A (4×2) x = b with x = (2, -3): least squares returns x exactly in the first n rows of b
        double[] a = {1, 1, 1, 2, 1, 3, 1, 4};
        double[] b = {1 * 2 - 3, 2 - 6, 2 - 9, 2 - 12};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, a);
            MemorySegment sb = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, b);
            LapackeStatus.check("LAPACKE_dgels", LAPACKE_dgels(LAPACK_ROW_MAJOR, (byte) 'N', 4, 2, 1, sa, 2, sb, 1));
            assertEquals(2.0, sb.getAtIndex(ValueLayout.JAVA_DOUBLE, 0), 1e-12);
            assertEquals(-3.0, sb.getAtIndex(ValueLayout.JAVA_DOUBLE, 1), 1e-12);
        }
    }

    @Test
    void dgelsMatchesLineFitClosedForm() {
        // fit y = c0 + c1 t through (0,1), (1,3), (2,2), (3,5): slope = cov(t,y)/var(t) = 1.1, intercept = mean(y) - slope*mean(t) = 1.1
        double[] a = {1, 0, 1, 1, 1, 2, 1, 3};
        double[] b = {1, 3, 2, 5};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, a);
            MemorySegment sb = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, b);
            LapackeStatus.check("LAPACKE_dgels", LAPACKE_dgels(LAPACK_ROW_MAJOR, (byte) 'N', 4, 2, 1, sa, 2, sb, 1));
            assertEquals(1.1, sb.getAtIndex(ValueLayout.JAVA_DOUBLE, 0), 1e-12);
            assertEquals(1.1, sb.getAtIndex(ValueLayout.JAVA_DOUBLE, 1), 1e-12);
            // single precision, two right-hand sides (y and 2y)
            MemorySegment fa = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1, 0, 1, 1, 1, 2, 1, 3);
            MemorySegment fb = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1, 2, 3, 6, 2, 4, 5, 10);
            LapackeStatus.check("LAPACKE_sgels", LAPACKE_sgels(LAPACK_ROW_MAJOR, (byte) 'N', 4, 2, 2, fa, 2, fb, 2));
            assertEquals(1.1, fb.getAtIndex(ValueLayout.JAVA_FLOAT, 0), 1e-5);
            assertEquals(2.2, fb.getAtIndex(ValueLayout.JAVA_FLOAT, 1), 1e-5);
            assertEquals(1.1, fb.getAtIndex(ValueLayout.JAVA_FLOAT, 2), 1e-5);
            assertEquals(2.2, fb.getAtIndex(ValueLayout.JAVA_FLOAT, 3), 1e-5);
        }
    }

    @Test
    void dpotrfFactorsSpdMatrixAndDpotrsSolves() {
        // A = L L^T with L = [[2,0,0],[1,3,0],[-1,2,1]]
        double[] l = {2, 0, 0, 1, 3, 0, -1, 2, 1};
        double[] a = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int p = 0; p < 3; p++) {
                    a[i * 3 + j] += l[i * 3 + p] * l[j * 3 + p];
                }
            }
        }
        double[] x = {1, -2, 0.5};
        double[] b = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                b[i] += a[i * 3 + j] * x[j];
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, a);
            LapackeStatus.check("LAPACKE_dpotrf", LAPACKE_dpotrf(LAPACK_ROW_MAJOR, (byte) 'L', 3, sa, 3));
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j <= i; j++) {
                    assertEquals(l[i * 3 + j], sa.getAtIndex(ValueLayout.JAVA_DOUBLE, i * 3 + j), 1e-12, "L[" + i + "," + j + "]");
                }
            }
            MemorySegment sb = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, b);
            LapackeStatus.check("LAPACKE_dpotrs", LAPACKE_dpotrs(LAPACK_ROW_MAJOR, (byte) 'L', 3, 1, sa, 3, sb, 1));
            for (int i = 0; i < 3; i++) {
                assertEquals(x[i], sb.getAtIndex(ValueLayout.JAVA_DOUBLE, i), 1e-12);
            }
        }
    }

    @Test
    void dpotrfReportsNotPositiveDefiniteAsPositiveInfo() {
        // eigenvalues 3 and -1: the 2×2 leading minor is 1 - 4 < 0, so info = 2
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 1, 2, 2, 1);
            int info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, (byte) 'U', 2, sa, 2);
            assertEquals(2, info);
            LapackInfoException e = assertThrows(LapackInfoException.class, () -> LapackeStatus.check("LAPACKE_dpotrf", info));
            assertTrue(e.isNumericalFailure());
            assertEquals(2, e.info());
            assertTrue(e.getMessage().startsWith("LAPACKE_dpotrf failed"), e.getMessage());
            assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
            // spotrf agrees
            MemorySegment fa = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1, 2, 2, 1);
            assertEquals(2, LAPACKE_spotrf(LAPACK_ROW_MAJOR, (byte) 'U', 2, fa, 2));
        }
    }

    @Test
    void illegalArgumentIsNegativeInfo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 4, 0, 0, 4);
            int info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, (byte) 'X', 2, sa, 2);
            assertEquals(-2, info);
            LapackInfoException e = assertThrows(LapackInfoException.class, () -> LapackeStatus.check("LAPACKE_dpotrf", info));
            assertTrue(e.isIllegalArgument());
        }
    }

    @Test
    void dgesddAndDgesvdGiveSingularValuesOfRotatedDiagonal() {
        double c2 = Math.cos(TestMatrices.V_ANGLE), s2 = Math.sin(TestMatrices.V_ANGLE);
        double[] a = TestMatrices.rotatedDiagonal(false);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, a);
            MemorySegment s = arena.allocate(ValueLayout.JAVA_DOUBLE, 2);
            MemorySegment su = arena.allocate(ValueLayout.JAVA_DOUBLE, 9);
            MemorySegment svt = arena.allocate(ValueLayout.JAVA_DOUBLE, 4);
            LapackeStatus.check("LAPACKE_dgesdd", LAPACKE_dgesdd(LAPACK_ROW_MAJOR, (byte) 'A', 3, 2, sa, 2, s, su, 3, svt, 2));
            assertEquals(5.0, s.getAtIndex(ValueLayout.JAVA_DOUBLE, 0), 1e-12);
            assertEquals(2.0, s.getAtIndex(ValueLayout.JAVA_DOUBLE, 1), 1e-12);
            // |first right singular vector| = ±(c2, s2)
            assertEquals(1.0, Math.abs(svt.getAtIndex(ValueLayout.JAVA_DOUBLE, 0) * c2 + svt.getAtIndex(ValueLayout.JAVA_DOUBLE, 1) * s2), 1e-12);

            MemorySegment sa2 = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, a);
            MemorySegment superb = arena.allocate(ValueLayout.JAVA_DOUBLE, 2);
            LapackeStatus.check("LAPACKE_dgesvd", LAPACKE_dgesvd(LAPACK_ROW_MAJOR, (byte) 'N', (byte) 'N', 3, 2, sa2, 2, s, MemorySegment.NULL, 3, MemorySegment.NULL, 2, superb));
            assertEquals(5.0, s.getAtIndex(ValueLayout.JAVA_DOUBLE, 0), 1e-12);
            assertEquals(2.0, s.getAtIndex(ValueLayout.JAVA_DOUBLE, 1), 1e-12);

            MemorySegment fa = arena.allocate(ValueLayout.JAVA_FLOAT, 6);
            for (int i = 0; i < 6; i++) {
                fa.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) a[i]);
            }
            MemorySegment fs = arena.allocate(ValueLayout.JAVA_FLOAT, 2);
            LapackeStatus.check("LAPACKE_sgesdd", LAPACKE_sgesdd(LAPACK_ROW_MAJOR, (byte) 'N', 3, 2, fa, 2, fs, MemorySegment.NULL, 3, MemorySegment.NULL, 2));
            assertEquals(5.0, fs.getAtIndex(ValueLayout.JAVA_FLOAT, 0), 1e-5);
            assertEquals(2.0, fs.getAtIndex(ValueLayout.JAVA_FLOAT, 1), 1e-5);
        }
    }

    @Test
    void dsyevdGivesEigenvaluesOfSecondDifferenceMatrix() {
        // tridiag(-1, 2, -1) of order n has eigenvalues 2 - 2 cos(k π / (n + 1)), k = 1..n (ascending)
        int n = 6;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = 2;
            if (i + 1 < n) {
                a[i * n + i + 1] = -1;
                a[(i + 1) * n + i] = -1;
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, a);
            MemorySegment w = arena.allocate(ValueLayout.JAVA_DOUBLE, n);
            LapackeStatus.check("LAPACKE_dsyevd", LAPACKE_dsyevd(LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', n, sa, n, w));
            for (int k = 1; k <= n; k++) {
                assertEquals(2 - 2 * Math.cos(k * Math.PI / (n + 1)), w.getAtIndex(ValueLayout.JAVA_DOUBLE, k - 1), 1e-12, "eigenvalue " + k);
            }
            // eigenvector k=1 is ±sin(j π/(n+1)) normalised: check A v = λ v on column 0 of the returned vectors
            double lambda = w.getAtIndex(ValueLayout.JAVA_DOUBLE, 0);
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) {
                    av += a[i * n + j] * sa.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) j * n);
                }
                assertEquals(lambda * sa.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * n), av, 1e-12);
            }
            MemorySegment fa = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 2, 1, 1, 2);
            MemorySegment fw = arena.allocate(ValueLayout.JAVA_FLOAT, 2);
            LapackeStatus.check("LAPACKE_ssyevd", LAPACKE_ssyevd(LAPACK_ROW_MAJOR, (byte) 'N', (byte) 'L', 2, fa, 2, fw));
            assertEquals(1.0, fw.getAtIndex(ValueLayout.JAVA_FLOAT, 0), 1e-6);
            assertEquals(3.0, fw.getAtIndex(ValueLayout.JAVA_FLOAT, 1), 1e-6);
        }
    }
}
