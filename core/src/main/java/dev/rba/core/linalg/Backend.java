package dev.rba.core.linalg;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The dense linear algebra that rba's analysis needs, implemented by the {@code cuda}, {@code openblas} and
 * {@code java} backends. The pure-Java backend is the reference every other backend is tested against.
 *
 * <p>Conventions: matrices are row-major. Activation batches are float32 in off-heap {@link MemorySegment}s
 * ({@code [rows, cols]}, leading dimension = cols); small d x d results are fp64 on the heap, because every solver
 * works in fp64 and d is at most a few thousand. A backend owns native resources (handles, device buffers,
 * scratch) and is closed by whoever created it.
 */
public interface Backend extends AutoCloseable {

    /** {@code cuda}, {@code openblas} or {@code java}. */
    String name();

    /** One line for reports: library path and version, device name, thread count. */
    String detail();

    /**
     * Starts a running sum of {@code Z^T Z} over float32 batches {@code Z [rows, cols]}: each batch product is
     * computed in fp32 (the GEMM), and added into an fp64 running sum, so precision does not decay with n.
     * Column sums and the row count are kept too. Rows that are all zero contribute nothing, which is how callers
     * skip padding rows (they zero them and count them out).
     */
    GramAccumulator newGramAccumulator(int cols);

    /**
     * {@code bytes} of host memory, owned (and freed) by {@code owner}, from which {@link GramAccumulator#add} reads
     * fastest: page-locked memory for {@code cuda} (uploaded by DMA without a staging copy), plain 64-byte aligned
     * native memory for the CPU backends. Callers that fill a batch buffer over and over allocate it here.
     */
    default MemorySegment allocateHost(long bytes, Arena owner) {
        return owner.allocate(bytes, 64);
    }

    /** Plain fp32 GEMM {@code C[m,n] = A[m,k] * B[k,n]}, row-major, all off-heap; the benchmark's yardstick. */
    void sgemm(int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c);

    /**
     * fp64 GEMM {@code A[m,k] * B[k,n]}, row-major heap arrays, into a new [m,n] array: the fit's d x d products
     * (its training residual). Java loops by default ({@link Fp64Products}); a BLAS where the backend has one.
     */
    default double[] dgemm(int m, int n, int k, double[] a, double[] b) {
        OperandChecks.dgemm(m, n, k, a, b);
        return Fp64Products.multiply(a, b, m, k, n);
    }

    /**
     * Solves {@code A X = B} for symmetric positive definite {@code A [n,n]} by Cholesky in fp64.
     * {@code b [n, nrhs]} is overwritten with X. Returns false (and leaves b unspecified) when A is not
     * positive definite, so that the caller can fall back to a ridge.
     */
    boolean choleskySolve(int n, int nrhs, double[] a, double[] b);

    /** Eigenvalues of symmetric {@code A [n,n]} in ascending order; if {@code vectors} is non-null it receives them as columns. */
    double[] symmetricEigen(int n, double[] a, double[] vectors);

    /** Thin SVD {@code A [m,n] = U diag(s) V^T} in fp64; u is [m, min(m,n)], vt is [min(m,n), n]; either may be null. */
    double[] svd(int m, int n, double[] a, double[] u, double[] vt);

    /**
     * Least squares {@code min ||A X - B||_F} straight from data by QR (no normal equations), fp64.
     * {@code a [m,n]}, {@code b [m,nrhs]}, m >= n; returns X [n, nrhs].
     */
    double[] leastSquaresQR(int m, int n, int nrhs, double[] a, double[] b);

    @Override
    void close();
}
