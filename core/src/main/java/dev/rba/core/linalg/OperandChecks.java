package dev.rba.core.linalg;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The argument checks every backend's sgemm, Gram accumulator and fp64 solvers make, with one wording for all of
 * them, and the native view of an operand that the native backends hand to their libraries.
 */
public final class OperandChecks {

    private OperandChecks() {
    }

    /** Checks a Cholesky solve's A [n,n] and B [n,nrhs]. */
    public static void choleskySolve(int n, int nrhs, double[] a, double[] b) {
        requireLength("Cholesky matrix A [n,n]", a, (long) n * n);
        requireLength("Cholesky right-hand side B [n,nrhs]", b, (long) n * nrhs);
    }

    /** Checks a symmetric eigendecomposition's A [n,n] and its eigenvector output [n,n] when one is given. */
    public static void symmetricEigen(int n, double[] a, double[] vectors) {
        requireLength("symmetric matrix A [n,n]", a, (long) n * n);
        if (vectors != null) {
            requireLength("eigenvector output [n,n]", vectors, (long) n * n);
        }
    }

    /** Checks an SVD's A [m,n] and, where given, its outputs U [m,min(m,n)] and VT [min(m,n),n]. */
    public static void svd(int m, int n, double[] a, double[] u, double[] vt) {
        int k = Math.min(m, n);
        requireLength("SVD input A [m,n]", a, (long) m * n);
        if (u != null) {
            requireLength("SVD output U [m,min(m,n)]", u, (long) m * k);
        }
        if (vt != null) {
            requireLength("SVD output VT [min(m,n),n]", vt, (long) k * n);
        }
    }

    /** Checks a QR least-squares problem: m >= n, A [m,n] and B [m,nrhs]. */
    public static void leastSquares(int m, int n, int nrhs, double[] a, double[] b) {
        if (m < n) {
            throw new IllegalArgumentException("QR least squares needs at least as many rows as columns, got A [" + m + ", " + n
                    + "]; add rows (samples) or use a ridge fit");
        }
        requireLength("least-squares A [m,n]", a, (long) m * n);
        requireLength("least-squares B [m,nrhs]", b, (long) m * nrhs);
    }

    /** Checks an fp64 product's A [m,k] and B [k,n]. */
    public static void dgemm(int m, int n, int k, double[] a, double[] b) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("dgemm dimensions must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        requireLength("product operand A [m,k]", a, (long) m * k);
        requireLength("product operand B [k,n]", b, (long) k * n);
    }

    /** A solver's array operand holds at least {@code need} doubles. */
    private static void requireLength(String what, double[] a, long need) {
        if (a == null || a.length < need) {
            throw new IllegalArgumentException(what + " must hold at least " + need + " doubles but has "
                    + (a == null ? "null" : a.length) + "; check the dimensions passed with it");
        }
    }

    /** The segment itself when native, else a native copy in {@code arena} (native calls cannot read heap memory). */
    public static MemorySegment nativeView(Arena arena, MemorySegment segment, long bytes) {
        if (segment.isNative()) {
            return segment;
        }
        MemorySegment copy = arena.allocate(Math.max(bytes, 1), 64);
        MemorySegment.copy(segment, 0, copy, 0, bytes);
        return copy;
    }

    /** Checks m, n, k >= 0 and that A [m,k], B [k,n], C [m,n] (float32) fit their segments. */
    public static void sgemm(int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm dimensions must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        requireFloats("A", a, (long) m * k);
        requireFloats("B", b, (long) k * n);
        requireFloats("C", c, (long) m * n);
    }

    /** Checks a Gram batch of {@code rows} rows x {@code cols} float32 columns; returns its size in bytes. */
    public static long gramBatch(MemorySegment batch, long rows, int cols) {
        if (rows < 0) {
            throw new IllegalArgumentException("batch row count must be >= 0, got " + rows);
        }
        long bytes = rows * cols * Float.BYTES;
        if (batch.byteSize() < bytes) {
            throw new IllegalArgumentException("batch segment holds " + batch.byteSize() + " bytes but " + rows + " rows x "
                    + cols + " float32 columns need " + bytes + "; pass the row count the segment really holds");
        }
        return bytes;
    }

    private static void requireFloats(String name, MemorySegment s, long floats) {
        if (s.byteSize() < floats * Float.BYTES) {
            throw new IllegalArgumentException("sgemm operand " + name + " holds " + s.byteSize() + " bytes but needs "
                    + floats * Float.BYTES + "; check m, n, k against the segment sizes");
        }
    }
}
