package dev.rba.core.stats;

import dev.rba.core.linalg.simd.VectorApi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Per-row kernels over float32 row-major segments: products in fp32 within a row, sums across rows in fp64. On the
 * Vector API ({@link SimdRowKernels}) when the JVM has it, else scalar loops. Kept off the GEMM path because they are
 * O(rows * d) per pair, which on a GPU backend would otherwise dominate a batch if left scalar.
 */
final class RowKernels {

    private RowKernels() {
    }

    /**
     * Adds, over rows of x and y [rows, width], cos(x_r, y_r) to {@code sums[0]} and ||y_r - x_r||^2 to
     * {@code sums[1]}. A row with zero norm has cosine 0 (it has no direction).
     */
    static void addCosineAndSquaredDifference(MemorySegment x, MemorySegment y, long rows, int width, double[] sums) {
        addCosineAndSquaredDifference(x, y, rows, width, sums, VectorApi.PRESENT);
    }

    /**
     * The same on the Vector API only when {@code simd} (and the JVM has it). Its first ~10^4 rows run interpreted
     * until C2 compiles the loop: 0.87 s on the first ViT-B batch (6,304 rows of 768) against 0.2 s for the scalar
     * loop, which then takes ~8 ms per batch against ~1.5 ms. So a plan with few pairs is better off scalar.
     */
    static void addCosineAndSquaredDifference(MemorySegment x, MemorySegment y, long rows, int width, double[] sums,
                                              boolean simd) {
        if (simd && VectorApi.PRESENT) {
            SimdRowKernels.addCosineAndSquaredDifference(x, y, rows, width, sums);
            return;
        }
        long rowBytes = (long) width * Float.BYTES;
        double[] row = new double[4];
        double cosSum = 0;
        double sqSum = 0;
        for (long r = 0; r < rows; r++) {
            Arrays.fill(row, 0);
            addRowSums(x, y, r * rowBytes, 0, width, row);
            cosSum += cosine(row);
            sqSum += row[3];
        }
        sums[0] += cosSum;
        sums[1] += sqSum;
    }

    /** Index of the first non-finite value in row {@code row} of width {@code width}, or -1 (the slow locator). */
    static int firstNonFinite(MemorySegment src, long row, int width) {
        return firstNonFiniteFrom(src, row * width * (long) Float.BYTES, 0, width);
    }

    /** Floats copied to the heap at a time by {@link #allFinite}. */
    private static final int FINITE_CHUNK = 4096;

    /**
     * Whether all {@code count} floats from byte offset {@code offset} are finite. Scalar, over heap copies of
     * chunks: a batch is checked once, and this loop is compiled within the first batch, where the Vector API's
     * per-row check ran interpreted for its first ~10^4 rows (measured: 0.77 s per ViT-B stream on the first batch,
     * against 0.04 s here; 4 ms per stream once compiled, either way).
     */
    static boolean allFinite(MemorySegment src, long offset, long count) {
        float[] chunk = new float[(int) Math.min(FINITE_CHUNK, Math.max(count, 1))];
        for (long done = 0; done < count; done += chunk.length) {
            int n = (int) Math.min(chunk.length, count - done);
            MemorySegment.copy(src, ValueLayout.JAVA_FLOAT_UNALIGNED, offset + done * Float.BYTES, chunk, 0, n);
            // x - x is 0 for every finite x and NaN for NaN and +-Inf, so one sum catches either
            float acc = 0f;
            for (int i = 0; i < n; i++) acc += chunk[i] - chunk[i];
            if (acc != 0f) return false;
        }
        return true;
    }

    /**
     * Adds x.y, x.x, y.y and |y-x|^2 over columns [from, to) of the row at byte offset {@code base} to
     * {@code acc[0..4)}; products in fp32 like the vector lanes.
     */
    static void addRowSums(MemorySegment x, MemorySegment y, long base, int from, int to, double[] acc) {
        for (int c = from; c < to; c++) {
            long off = base + (long) c * Float.BYTES;
            float a = x.get(ValueLayout.JAVA_FLOAT_UNALIGNED, off);
            float b = y.get(ValueLayout.JAVA_FLOAT_UNALIGNED, off);
            acc[0] += a * b;
            acc[1] += a * a;
            acc[2] += b * b;
            float e = b - a;
            acc[3] += e * e;
        }
    }

    /** cos from {@link #addRowSums}' x.y, x.x, y.y; 0 for a zero row. */
    static double cosine(double[] acc) {
        double norms = Math.sqrt(acc[1]) * Math.sqrt(acc[2]);
        return norms > 0 ? acc[0] / norms : 0.0;
    }

    /** The first non-finite column in [from, width) of the row at byte offset {@code base}, or -1. */
    static int firstNonFiniteFrom(MemorySegment src, long base, int from, int width) {
        for (int c = from; c < width; c++) {
            if (!Float.isFinite(src.get(ValueLayout.JAVA_FLOAT_UNALIGNED, base + (long) c * Float.BYTES))) return c;
        }
        return -1;
    }

    /**
     * {@code dst[c] = src[c] - shift[shiftOffset + c]} for c < width, byte offsets into float32 segments; on the
     * Vector API only when {@code simd} (its JIT warm-up cost 0.23 s on the first ViT-B batch: worth it for wide
     * joint Grams, not for one pair's).
     */
    static void copyMinus(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, float[] shift,
                          int shiftOffset, int width, boolean simd) {
        if (simd && VectorApi.PRESENT) {
            SimdRowKernels.copyMinus(src, srcOffset, dst, dstOffset, shift, shiftOffset, width);
        } else {
            copyMinusFrom(src, srcOffset, dst, dstOffset, shift, shiftOffset, 0, width);
        }
    }

    /** {@link #copyMinus} over columns [from, width). */
    static void copyMinusFrom(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, float[] shift,
                              int shiftOffset, int from, int width) {
        for (int c = from; c < width; c++) {
            long off = (long) c * Float.BYTES;
            dst.set(ValueLayout.JAVA_FLOAT_UNALIGNED, dstOffset + off,
                    src.get(ValueLayout.JAVA_FLOAT_UNALIGNED, srcOffset + off) - shift[shiftOffset + c]);
        }
    }

    /** fp64 column sums of x [rows, width]. */
    static double[] columnSums(MemorySegment x, long rows, int width) {
        double[] sums = new double[width];
        long rowBytes = (long) width * Float.BYTES;
        for (long r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                sums[c] += x.get(ValueLayout.JAVA_FLOAT_UNALIGNED, r * rowBytes + (long) c * Float.BYTES);
            }
        }
        return sums;
    }

    /** fp64 sum of x^2 over all entries of x [rows, width]. */
    static double sumOfSquares(MemorySegment x, long rows, int width) {
        double sum = 0;
        long n = rows * width;
        for (long i = 0; i < n; i++) {
            double v = x.get(ValueLayout.JAVA_FLOAT_UNALIGNED, i * Float.BYTES);
            sum += v * v;
        }
        return sum;
    }
}
