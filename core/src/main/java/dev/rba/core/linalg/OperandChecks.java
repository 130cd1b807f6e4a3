package dev.rba.core.linalg;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The argument checks every backend's sgemm and Gram accumulator make, with one wording for all of them, and the
 * native view of an operand that the native backends hand to their libraries.
 */
public final class OperandChecks {

    private OperandChecks() {
    }

    /** A solver's array operand (Java or OpenBLAS) holds at least {@code need} doubles, in one wording for both. */
    public static void requireLength(String what, double[] a, long need) {
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
