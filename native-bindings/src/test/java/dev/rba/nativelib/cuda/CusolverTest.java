package dev.rba.nativelib.cuda;

import dev.rba.nativelib.TestMatrices;
import static dev.rba.nativelib.cusolver.cusolverDn_h.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rba.nativelib.CusolverStatus;
import dev.rba.nativelib.LapackInfoException;
import dev.rba.nativelib.NativeLibraries;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** cuSOLVER dense routines against closed forms (column-major); skipped without libcusolver or a GPU. */
class CusolverTest extends LibraryHandleTest {
    CusolverTest() {
        super(NativeLibraries::cusolver, slot -> CusolverStatus.check("cusolverDnCreate", cusolverDnCreate(slot)),
                h -> CusolverStatus.check("cusolverDnDestroy", cusolverDnDestroy(h)));
    }

    /** Runs after {@link LibraryHandleTest#createHandle} (JUnit runs a superclass's {@code @BeforeEach} first). */
    @BeforeEach
    void onTheDefaultStream() {
        CusolverStatus.check("cusolverDnSetStream", cusolverDnSetStream(handle, MemorySegment.NULL));
    }

    private int lwork(java.util.function.Function<MemorySegment, Integer> query, String name) {
        MemorySegment lwork = gpu.arena.allocate(ValueLayout.JAVA_INT);
        CusolverStatus.check(name, query.apply(lwork));
        return lwork.get(ValueLayout.JAVA_INT, 0);
    }

    /** A = L L^T with L = [[2,0,0],[1,3,0],[-1,2,1]]; stored column-major (A is symmetric, so the same). */
    static final double[] L = {2, 1, -1, 0, 3, 2, 0, 0, 1}; // column-major

    static double[] spd() {
        double[] a = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int p = 0; p < 3; p++) {
                    a[i + j * 3] += L[i + p * 3] * L[j + p * 3];
                }
            }
        }
        return a;
    }

    @Test
    void dpotrfFactorsAndDpotrsSolves() {
        double[] a = spd();
        MemorySegment dA = gpu.upload(a);
        int lwork = lwork(w -> cusolverDnDpotrf_bufferSize(handle, CUBLAS_FILL_MODE_LOWER, 3, dA, 3, w), "cusolverDnDpotrf_bufferSize");
        MemorySegment work = gpu.malloc(Math.max(1, lwork) * 8L);
        MemorySegment info = gpu.malloc(4);
        CusolverStatus.check("cusolverDnDpotrf", cusolverDnDpotrf(handle, CUBLAS_FILL_MODE_LOWER, 3, dA, 3, work, lwork, info));
        CusolverStatus.checkInfo("cusolverDnDpotrf", gpu.downloadInt(info));
        double[] factor = gpu.downloadDoubles(dA, 9);
        for (int j = 0; j < 3; j++) {
            for (int i = j; i < 3; i++) {
                assertEquals(L[i + j * 3], factor[i + j * 3], 1e-12, "L[" + i + "," + j + "]");
            }
        }
        double[] x = {1, -2, 0.5};
        double[] b = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                b[i] += a[i + j * 3] * x[j];
            }
        }
        MemorySegment dB = gpu.upload(b);
        CusolverStatus.check("cusolverDnDpotrs", cusolverDnDpotrs(handle, CUBLAS_FILL_MODE_LOWER, 3, 1, dA, 3, dB, 3, info));
        CusolverStatus.checkInfo("cusolverDnDpotrs", gpu.downloadInt(info));
        double[] solved = gpu.downloadDoubles(dB, 3);
        for (int i = 0; i < 3; i++) {
            assertEquals(x[i], solved[i], 1e-12);
        }
    }

    @Test
    void spotrfOnIndefiniteMatrixGivesPositiveDevInfo() {
        float[] a = {1, 2, 2, 1}; // eigenvalues 3, -1: leading minor of order 2 fails
        MemorySegment dA = gpu.upload(a);
        int lwork = lwork(w -> cusolverDnSpotrf_bufferSize(handle, CUBLAS_FILL_MODE_UPPER, 2, dA, 2, w), "cusolverDnSpotrf_bufferSize");
        MemorySegment work = gpu.malloc(Math.max(1, lwork) * 4L);
        MemorySegment info = gpu.malloc(4);
        CusolverStatus.check("cusolverDnSpotrf", cusolverDnSpotrf(handle, CUBLAS_FILL_MODE_UPPER, 2, dA, 2, work, lwork, info));
        int devInfo = gpu.downloadInt(info);
        assertEquals(2, devInfo);
        LapackInfoException e = assertThrows(LapackInfoException.class, () -> CusolverStatus.checkInfo("cusolverDnSpotrf", devInfo));
        assertTrue(e.isNumericalFailure() && e.getMessage().contains("not positive definite"), e.getMessage());
    }

    @Test
    void dgesvdAndSgesvdjGiveSingularValuesOfRotatedDiagonal() {
        double c2 = Math.cos(TestMatrices.V_ANGLE), s2 = Math.sin(TestMatrices.V_ANGLE);
        double[] a = TestMatrices.rotatedDiagonal(true);
        MemorySegment dA = gpu.upload(a);
        int lwork = lwork(w -> cusolverDnDgesvd_bufferSize(handle, 3, 2, w), "cusolverDnDgesvd_bufferSize");
        MemorySegment work = gpu.malloc(Math.max(1, lwork) * 8L);
        MemorySegment s = gpu.malloc(2 * 8L);
        MemorySegment info = gpu.malloc(4);
        CusolverStatus.check("cusolverDnDgesvd", cusolverDnDgesvd(handle, (byte) 'N', (byte) 'N', 3, 2, dA, 3, s, MemorySegment.NULL, 3,
                MemorySegment.NULL, 2, work, lwork, MemorySegment.NULL, info));
        CusolverStatus.checkInfo("cusolverDnDgesvd", gpu.downloadInt(info));
        double[] values = gpu.downloadDoubles(s, 2);
        assertEquals(5.0, values[0], 1e-12);
        assertEquals(2.0, values[1], 1e-12);

        MemorySegment dAf = gpu.upload(TestMatrices.toFloat(a));
        MemorySegment paramsSlot = gpu.handleSlot();
        CusolverStatus.check("cusolverDnCreateGesvdjInfo", cusolverDnCreateGesvdjInfo(paramsSlot));
        MemorySegment params = paramsSlot.get(ValueLayout.ADDRESS, 0);
        MemorySegment sf = gpu.malloc(2 * 4L);
        MemorySegment uf = gpu.malloc(3 * 2 * 4L);
        MemorySegment vf = gpu.malloc(2 * 2 * 4L);
        int lworkj = lwork(w -> cusolverDnSgesvdj_bufferSize(handle, CUSOLVER_EIG_MODE_VECTOR, 1, 3, 2, dAf, 3, sf, uf, 3, vf, 2, w, params), "cusolverDnSgesvdj_bufferSize");
        MemorySegment workj = gpu.malloc(Math.max(1, lworkj) * 4L);
        CusolverStatus.check("cusolverDnSgesvdj", cusolverDnSgesvdj(handle, CUSOLVER_EIG_MODE_VECTOR, 1, 3, 2, dAf, 3, sf, uf, 3, vf, 2, workj, lworkj, info, params));
        CusolverStatus.checkInfo("cusolverDnSgesvdj", gpu.downloadInt(info));
        float[] valuesf = gpu.downloadFloats(sf, 2);
        assertEquals(5.0, valuesf[0], 1e-5);
        assertEquals(2.0, valuesf[1], 1e-5);
        float[] vv = gpu.downloadFloats(vf, 4); // first right singular vector = ±(c2, s2)
        assertEquals(1.0, Math.abs(vv[0] * c2 + vv[1] * s2), 1e-5);
        CusolverStatus.check("cusolverDnDestroyGesvdjInfo", cusolverDnDestroyGesvdjInfo(params));
    }

    @Test
    void dsyevdGivesEigenvaluesOfSecondDifferenceMatrix() {
        int n = 8;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i + i * n] = 2;
            if (i + 1 < n) {
                a[i + 1 + i * n] = -1;
                a[i + (i + 1) * n] = -1;
            }
        }
        MemorySegment dA = gpu.upload(a);
        MemorySegment w = gpu.malloc(n * 8L);
        int lwork = lwork(q -> cusolverDnDsyevd_bufferSize(handle, CUSOLVER_EIG_MODE_VECTOR, CUBLAS_FILL_MODE_LOWER, n, dA, n, w, q), "cusolverDnDsyevd_bufferSize");
        MemorySegment work = gpu.malloc(Math.max(1, lwork) * 8L);
        MemorySegment info = gpu.malloc(4);
        CusolverStatus.check("cusolverDnDsyevd", cusolverDnDsyevd(handle, CUSOLVER_EIG_MODE_VECTOR, CUBLAS_FILL_MODE_LOWER, n, dA, n, w, work, lwork, info));
        CusolverStatus.checkInfo("cusolverDnDsyevd", gpu.downloadInt(info));
        double[] eigen = gpu.downloadDoubles(w, n);
        for (int k = 1; k <= n; k++) {
            assertEquals(2 - 2 * Math.cos(k * Math.PI / (n + 1)), eigen[k - 1], 1e-12, "eigenvalue " + k);
        }
        // single precision agrees
        float[] af = new float[n * n];
        for (int i = 0; i < n * n; i++) {
            af[i] = (float) a[i];
        }
        MemorySegment dAf = gpu.upload(af);
        MemorySegment wf = gpu.malloc(n * 4L);
        int lworkf = lwork(q -> cusolverDnSsyevd_bufferSize(handle, CUSOLVER_EIG_MODE_NOVECTOR, CUBLAS_FILL_MODE_UPPER, n, dAf, n, wf, q), "cusolverDnSsyevd_bufferSize");
        MemorySegment workf = gpu.malloc(Math.max(1, lworkf) * 4L);
        CusolverStatus.check("cusolverDnSsyevd", cusolverDnSsyevd(handle, CUSOLVER_EIG_MODE_NOVECTOR, CUBLAS_FILL_MODE_UPPER, n, dAf, n, wf, workf, lworkf, info));
        CusolverStatus.checkInfo("cusolverDnSsyevd", gpu.downloadInt(info));
        float[] eigenf = gpu.downloadFloats(wf, n);
        for (int k = 1; k <= n; k++) {
            assertEquals(eigen[k - 1], eigenf[k - 1], 1e-5);
        }
    }

    @Test
    void dgeqrfThenDormqrAppliesQTransposeToGiveR() {
        int m = 5, n = 3;
        double[] a = {1, 2, 0, -1, 3, 0, 1, 4, 2, -2, 2, -1, 1, 0, 5}; // column-major 5×3, full column rank
        MemorySegment dA = gpu.upload(a);
        MemorySegment tau = gpu.malloc(n * 8L);
        MemorySegment info = gpu.malloc(4);
        int lwork = lwork(w -> cusolverDnDgeqrf_bufferSize(handle, m, n, dA, m, w), "cusolverDnDgeqrf_bufferSize");
        MemorySegment work = gpu.malloc(Math.max(1, lwork) * 8L);
        CusolverStatus.check("cusolverDnDgeqrf", cusolverDnDgeqrf(handle, m, n, dA, m, tau, work, lwork, info));
        CusolverStatus.checkInfo("cusolverDnDgeqrf", gpu.downloadInt(info));
        double[] qr = gpu.downloadDoubles(dA, m * n);

        // Q^T A must equal R (the upper triangle of the factorisation) with zeros below
        MemorySegment dC = gpu.upload(a);
        int lworkq = lwork(w -> cusolverDnDormqr_bufferSize(handle, CUBLAS_SIDE_LEFT, CUBLAS_OP_T, m, n, n, dA, m, tau, dC, m, w), "cusolverDnDormqr_bufferSize");
        MemorySegment workq = gpu.malloc(Math.max(1, lworkq) * 8L);
        CusolverStatus.check("cusolverDnDormqr", cusolverDnDormqr(handle, CUBLAS_SIDE_LEFT, CUBLAS_OP_T, m, n, n, dA, m, tau, dC, m, workq, lworkq, info));
        CusolverStatus.checkInfo("cusolverDnDormqr", gpu.downloadInt(info));
        double[] r = gpu.downloadDoubles(dC, m * n);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double expected = i <= j ? qr[i + j * m] : 0;
                assertEquals(expected, r[i + j * m], 1e-12, "R[" + i + "," + j + "]");
            }
        }
        // |R[0,0]| is the norm of A's first column: sqrt(1+4+0+1+9)
        assertEquals(Math.sqrt(15), Math.abs(qr[0]), 1e-12);

        // single-precision QR agrees on |R[0,0]|
        float[] af = new float[m * n];
        for (int i = 0; i < m * n; i++) {
            af[i] = (float) a[i];
        }
        MemorySegment dAf = gpu.upload(af);
        MemorySegment tauf = gpu.malloc(n * 4L);
        int lworkf = lwork(w -> cusolverDnSgeqrf_bufferSize(handle, m, n, dAf, m, w), "cusolverDnSgeqrf_bufferSize");
        MemorySegment workf = gpu.malloc(Math.max(1, lworkf) * 4L);
        CusolverStatus.check("cusolverDnSgeqrf", cusolverDnSgeqrf(handle, m, n, dAf, m, tauf, workf, lworkf, info));
        CusolverStatus.checkInfo("cusolverDnSgeqrf", gpu.downloadInt(info));
        assertEquals(Math.sqrt(15), Math.abs(gpu.downloadFloats(dAf, 1)[0]), 1e-5);
    }
}
