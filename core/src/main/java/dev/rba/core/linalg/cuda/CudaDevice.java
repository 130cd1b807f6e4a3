package dev.rba.core.linalg.cuda;

import dev.rba.core.linalg.GramAccumulator;

import java.lang.foreign.MemorySegment;

/**
 * The CUDA backend's operations behind one lock (one cuBLAS handle and one stream are shared by all of them).
 * Owns the {@link CudaContext}; accumulators own their own buffers and must be closed before the backend.
 */
public final class CudaDevice implements AutoCloseable {

    private final CudaContext ctx;
    private final Object lock;
    private final CudaSolvers solvers;

    public CudaDevice(CudaContext ctx, Object lock) {
        this.ctx = ctx;
        this.lock = lock;
        this.solvers = new CudaSolvers(ctx);
    }

    public CudaContext context() {
        return ctx;
    }

    public GramAccumulator newGramAccumulator(int cols) {
        synchronized (lock) {
            return new CudaGramAccumulator(ctx, lock, cols);
        }
    }

    public void sgemm(int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
        synchronized (lock) {
            CudaSgemm.sgemm(ctx, m, n, k, a, b, c);
        }
    }

    public boolean choleskySolve(int n, int nrhs, double[] a, double[] b) {
        synchronized (lock) {
            return solvers.choleskySolve(n, nrhs, a, b);
        }
    }

    public double[] symmetricEigen(int n, double[] a, double[] vectors) {
        synchronized (lock) {
            return solvers.symmetricEigen(n, a, vectors);
        }
    }

    public double[] svd(int m, int n, double[] a, double[] u, double[] vt) {
        synchronized (lock) {
            return solvers.svd(m, n, a, u, vt);
        }
    }

    public double[] leastSquares(int m, int n, int nrhs, double[] a, double[] b) {
        synchronized (lock) {
            return solvers.leastSquares(m, n, nrhs, a, b);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            ctx.close();
        }
    }
}
