package dev.rba.core.linalg.openblas;

import dev.rba.core.linalg.OperandChecks;
import dev.rba.core.linalg.dense.HouseholderQr;
import dev.rba.nativelib.LapackeStatus;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.rba.nativelib.cblas.cblas_h.CblasNoTrans;
import static dev.rba.nativelib.cblas.cblas_h.CblasRowMajor;
import static dev.rba.nativelib.cblas.cblas_h.cblas_dgemm;
import static dev.rba.nativelib.lapacke.lapacke_h.*;

/**
 * The fp64 solvers of the OpenBLAS backend over LAPACKE, and its fp64 product over CBLAS (row-major layout, so no
 * transposes here). Every call copies
 * its heap arrays into a confined {@link Arena} that lives for that call only.
 */
public final class OpenBlasSolvers {

    private static final byte LOWER = 'L';
    private static final byte UPPER = 'U';

    private OpenBlasSolvers() {
    }

    static MemorySegment doubles(Arena arena, double[] values, long count) {
        MemorySegment s = arena.allocate(Math.max(count, 1) * Double.BYTES, 64);
        if (values != null) {
            MemorySegment.copy(values, 0, s, ValueLayout.JAVA_DOUBLE, 0, (int) count);
        }
        return s;
    }

    static void copyOut(MemorySegment s, double[] dst, long count) {
        MemorySegment.copy(s, ValueLayout.JAVA_DOUBLE, 0, dst, 0, (int) count);
    }

    /** C [m,n] = A [m,k] B [k,n] by {@code cblas_dgemm} (single-threaded, see {@link OpenBlasThreads}). */
    public static double[] dgemm(int m, int n, int k, double[] a, double[] b) {
        double[] c = new double[m * n];
        // an empty product is a no-op for dgemm, given leading dimensions of at least 1
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nc = doubles(arena, null, (long) m * n);
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0, doubles(arena, a, (long) m * k),
                    Math.max(k, 1), doubles(arena, b, (long) k * n), Math.max(n, 1), 0.0, nc, Math.max(n, 1));
            copyOut(nc, c, (long) m * n);
        }
        return c;
    }

    public static boolean choleskySolve(int n, int nrhs, double[] a, double[] b) {
        OperandChecks.choleskySolve(n, nrhs, a, b);
        if (n == 0) {
            return true;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment na = doubles(arena, a, (long) n * n);
            int info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, LOWER, n, na, n);
            if (info > 0) {
                return false; // leading minor of order info is not positive definite
            }
            LapackeStatus.check("LAPACKE_dpotrf", info);
            MemorySegment nb = doubles(arena, b, (long) n * nrhs);
            LapackeStatus.check("LAPACKE_dpotrs", LAPACKE_dpotrs(LAPACK_ROW_MAJOR, LOWER, n, nrhs, na, n, nb, Math.max(nrhs, 1)));
            copyOut(nb, b, (long) n * nrhs);
            return true;
        }
    }

    public static double[] symmetricEigen(int n, double[] a, double[] vectors) {
        OperandChecks.symmetricEigen(n, a, vectors);
        double[] w = new double[n];
        if (n == 0) {
            return w;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment na = doubles(arena, a, (long) n * n);
            MemorySegment nw = doubles(arena, null, n);
            byte jobz = (byte) (vectors == null ? 'N' : 'V');
            LapackeStatus.check("LAPACKE_dsyevd", LAPACKE_dsyevd(LAPACK_ROW_MAJOR, jobz, UPPER, n, na, n, nw));
            copyOut(nw, w, n);
            if (vectors != null) {
                copyOut(na, vectors, (long) n * n);
            }
            return w;
        }
    }

    public static double[] svd(int m, int n, double[] a, double[] u, double[] vt) {
        OperandChecks.svd(m, n, a, u, vt);
        int k = Math.min(m, n);
        double[] s = new double[k];
        if (k == 0) {
            return s;
        }
        boolean vectors = u != null || vt != null;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment na = doubles(arena, a, (long) m * n);
            MemorySegment ns = doubles(arena, null, k);
            MemorySegment nu = doubles(arena, null, vectors ? (long) m * k : 1);
            MemorySegment nvt = doubles(arena, null, vectors ? (long) k * n : 1);
            byte jobz = (byte) (vectors ? 'S' : 'N');
            LapackeStatus.check("LAPACKE_dgesdd", LAPACKE_dgesdd(LAPACK_ROW_MAJOR, jobz, m, n, na, n, ns, nu, vectors ? k : 1, nvt, n));
            copyOut(ns, s, k);
            if (u != null) {
                copyOut(nu, u, (long) m * k);
            }
            if (vt != null) {
                copyOut(nvt, vt, (long) k * n);
            }
            return s;
        }
    }

    public static double[] leastSquares(int m, int n, int nrhs, double[] a, double[] b) {
        OperandChecks.leastSquares(m, n, nrhs, a, b);
        double[] x = new double[n * nrhs];
        if (n == 0 || nrhs == 0) {
            return x;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment na = doubles(arena, a, (long) m * n);
            MemorySegment nb = doubles(arena, b, (long) m * nrhs);
            int info = LAPACKE_dgels(LAPACK_ROW_MAJOR, (byte) 'N', m, n, nrhs, na, n, nb, nrhs);
            if (info > 0) {
                throw HouseholderQr.rankDeficient(info - 1, 0, Double.NaN);
            }
            LapackeStatus.check("LAPACKE_dgels", info);
            // same relative rank test as the Java backend, on R's diagonal (dgels leaves R in the upper triangle of a)
            double maxDiag = 0;
            for (int i = 0; i < n; i++) {
                maxDiag = Math.max(maxDiag, Math.abs(na.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * n + i)));
            }
            double tolerance = maxDiag * Math.max(m, n) * Math.ulp(1.0);
            for (int i = 0; i < n; i++) {
                double r = na.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * n + i);
                if (!(Math.abs(r) > tolerance)) {
                    throw HouseholderQr.rankDeficient(i, r, maxDiag);
                }
            }
            copyOut(nb, x, (long) n * nrhs);
            return x;
        }
    }
}
