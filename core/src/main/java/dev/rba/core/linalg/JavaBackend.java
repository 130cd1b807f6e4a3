package dev.rba.core.linalg;

import dev.rba.core.linalg.dense.Cholesky;
import dev.rba.core.linalg.dense.HouseholderQr;
import dev.rba.core.linalg.dense.JacobiSvd;
import dev.rba.core.linalg.dense.SymmetricEigen;
import dev.rba.core.linalg.simd.MicroKernel;
import dev.rba.core.linalg.simd.VectorGramAccumulator;
import dev.rba.core.linalg.simd.VectorSgemm;
import dev.rba.core.linalg.simd.WorkerPool;

import java.lang.foreign.MemorySegment;

/**
 * Backend {@code java}: pure Java, the reference every other backend is tested against and the last fallback.
 * fp32 products use the Vector API when the JVM has it, else scalar loops ({@link MicroKernel}), on {@code threads}
 * cores (default: all, or system property {@code rba.java.threads}); solvers are textbook fp64 algorithms in
 * {@code dev.rba.core.linalg.dense} (Cholesky, Householder tridiagonal + implicit QL, one-sided Jacobi SVD,
 * Householder QR).
 */
public final class JavaBackend implements Backend {

    public static final String NAME = "java";

    private final WorkerPool pool;

    public JavaBackend() {
        this(WorkerPool.defaultThreads());
    }

    public JavaBackend(int threads) {
        this.pool = new WorkerPool(threads);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String detail() {
        return "pure Java, " + MicroKernel.describe() + ", "
                + pool.threads() + " threads";
    }

    public int threads() {
        return pool.threads();
    }

    @Override
    public GramAccumulator newGramAccumulator(int cols) {
        return new VectorGramAccumulator(pool, cols);
    }

    @Override
    public void sgemm(int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
        VectorSgemm.sgemm(pool, m, n, k, a, b, c);
    }

    @Override
    public boolean choleskySolve(int n, int nrhs, double[] a, double[] b) {
        return Cholesky.solve(n, nrhs, a, b);
    }

    @Override
    public double[] symmetricEigen(int n, double[] a, double[] vectors) {
        return SymmetricEigen.decompose(n, a, vectors);
    }

    @Override
    public double[] svd(int m, int n, double[] a, double[] u, double[] vt) {
        return JacobiSvd.decompose(m, n, a, u, vt);
    }

    @Override
    public double[] leastSquaresQR(int m, int n, int nrhs, double[] a, double[] b) {
        return HouseholderQr.leastSquares(m, n, nrhs, a, b);
    }

    @Override
    public void close() {
        pool.close();
    }
}
