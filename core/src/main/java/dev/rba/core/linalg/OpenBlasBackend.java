package dev.rba.core.linalg;

import dev.rba.core.linalg.dense.HouseholderQr;
import dev.rba.core.linalg.openblas.OpenBlasGramAccumulator;
import dev.rba.core.linalg.openblas.OpenBlasSolvers;
import dev.rba.core.linalg.openblas.OpenBlasThreads;
import dev.rba.core.linalg.simd.WorkerPool;
import dev.rba.nativelib.NativeLibraries;
import dev.rba.nativelib.NativeLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.rba.nativelib.cblas.cblas_h.*;

/**
 * Backend {@code openblas}: CBLAS for the fp32 products ({@code cblas_ssyrk} Gram, {@code cblas_sgemm}) and LAPACKE
 * for the fp64 solvers (dpotrf/dpotrs, dsyevd, dgesdd, dgels). The constructor loads both libraries and throws
 * {@link dev.rba.nativelib.NativeLibraryUnavailableException} (listing what was tried) when either is missing.
 * OpenBLAS itself runs single-threaded ({@link OpenBlasThreads}: its pool spin-waits); this backend's worker pool,
 * as many threads as OpenBLAS would have used, shares the Gram's tiles and sgemm's row bands. It holds no native
 * memory of its own (accumulators own theirs); {@link #close()} stops the pool.
 */
public final class OpenBlasBackend implements Backend {

    public static final String NAME = "openblas";

    private final NativeLibrary blas;
    private final NativeLibrary lapacke;
    private final WorkerPool pool;

    public OpenBlasBackend() {
        this.blas = NativeLibraries.openblas();
        this.lapacke = NativeLibraries.lapacke();
        // resolves symbols now, so a broken library fails here and not mid-analysis
        this.pool = new WorkerPool(OpenBlasThreads.takeOver());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** e.g. {@code OpenBLAS 0.3.31 ... from /tmp/.../libopenblas.so.0 (bundled), 16 threads (rba's, OpenBLAS single-threaded)}. */
    @Override
    public String detail() {
        return config() + " from " + blas.path() + " (" + blas.source() + "), LAPACKE " + lapacke.path() + ", "
                + threads() + " threads (rba's, OpenBLAS single-threaded)";
    }

    public String config() {
        MemorySegment s = openblas_get_config();
        return s.equals(MemorySegment.NULL) ? "OpenBLAS" : s.reinterpret(1024).getString(0).strip();
    }

    /** The worker threads that share this backend's products (the caller counts as one). */
    public int threads() {
        return pool.threads();
    }

    @Override
    public GramAccumulator newGramAccumulator(int cols) {
        return new OpenBlasGramAccumulator(cols, pool);
    }

    @Override
    public void sgemm(int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
        OperandChecks.sgemm(m, n, k, a, b, c);
        long aBytes = (long) m * k * Float.BYTES;
        long bBytes = (long) k * n * Float.BYTES;
        long cBytes = (long) m * n * Float.BYTES;
        if (m == 0 || n == 0) {
            return;
        }
        try (Arena staging = Arena.ofShared()) {
            MemorySegment na = OperandChecks.nativeView(staging, a, aBytes);
            MemorySegment nb = OperandChecks.nativeView(staging, b, bBytes);
            MemorySegment nc = OperandChecks.nativeView(staging, c, cBytes);
            boolean shared = SegmentThreads.accessibleByOtherThreads(na) && SegmentThreads.accessibleByOtherThreads(nb)
                    && SegmentThreads.accessibleByOtherThreads(nc);
            WorkerPool workers = shared ? pool : WorkerPool.CALLER_ONLY;
            // one band of C's rows per worker
            int bands = Math.min(workers.threads(), m);
            workers.run(bands, band -> {
                int r0 = (int) ((long) m * band / bands);
                int rn = (int) ((long) m * (band + 1) / bands) - r0;
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rn, n, k, 1f,
                        na.asSlice((long) r0 * k * Float.BYTES), Math.max(k, 1), nb, Math.max(n, 1), 0f,
                        nc.asSlice((long) r0 * n * Float.BYTES), Math.max(n, 1));
            });
            if (nc != c) {
                MemorySegment.copy(nc, 0, c, 0, cBytes);
            }
        }
    }

    @Override
    public double[] dgemm(int m, int n, int k, double[] a, double[] b) {
        OperandChecks.dgemm(m, n, k, a, b);
        return OpenBlasSolvers.dgemm(m, n, k, a, b);
    }

    @Override
    public boolean choleskySolve(int n, int nrhs, double[] a, double[] b) {
        return OpenBlasSolvers.choleskySolve(n, nrhs, a, b);
    }

    @Override
    public double[] symmetricEigen(int n, double[] a, double[] vectors) {
        return OpenBlasSolvers.symmetricEigen(n, a, vectors);
    }

    @Override
    public double[] svd(int m, int n, double[] a, double[] u, double[] vt) {
        return OpenBlasSolvers.svd(m, n, a, u, vt);
    }

    /** dgels; a rank-deficient A gives the same {@link ArithmeticException} as the Java backend ({@link HouseholderQr}). */
    @Override
    public double[] leastSquaresQR(int m, int n, int nrhs, double[] a, double[] b) {
        return OpenBlasSolvers.leastSquares(m, n, nrhs, a, b);
    }

    @Override
    public void close() {
        // libraries stay loaded for the process
        pool.close();
    }
}
