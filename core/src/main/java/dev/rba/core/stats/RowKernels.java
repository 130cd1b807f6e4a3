package dev.rba.core.stats;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Per-row kernels over float32 row-major segments, on the Vector API: products in fp32 lanes within a row, sums
 * across rows in fp64. Kept off the GEMM path because they are O(rows * d) per pair, which on a GPU backend would
 * otherwise dominate a batch if left scalar.
 */
final class RowKernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private RowKernels() {
    }

    /**
     * Adds, over rows of x and y [rows, width], cos(x_r, y_r) to {@code sums[0]} and ||y_r - x_r||^2 to
     * {@code sums[1]}. A row with zero norm has cosine 0 (it has no direction).
     */
    static void addCosineAndSquaredDifference(MemorySegment x, MemorySegment y, long rows, int width, double[] sums) {
        long rowBytes = (long) width * Float.BYTES;
        int vectorEnd = SPECIES.loopBound(width);
        double cosSum = 0;
        double sqSum = 0;
        for (long r = 0; r < rows; r++) {
            long base = r * rowBytes;
            FloatVector dot = FloatVector.zero(SPECIES);
            FloatVector nx = FloatVector.zero(SPECIES);
            FloatVector ny = FloatVector.zero(SPECIES);
            FloatVector sq = FloatVector.zero(SPECIES);
            int c = 0;
            for (; c < vectorEnd; c += SPECIES.length()) {
                long off = base + (long) c * Float.BYTES;
                FloatVector vx = FloatVector.fromMemorySegment(SPECIES, x, off, ORDER);
                FloatVector vy = FloatVector.fromMemorySegment(SPECIES, y, off, ORDER);
                dot = vx.fma(vy, dot);
                nx = vx.fma(vx, nx);
                ny = vy.fma(vy, ny);
                FloatVector diff = vy.sub(vx);
                sq = diff.fma(diff, sq);
            }
            double d = dot.reduceLanes(VectorOperators.ADD);
            double xx = nx.reduceLanes(VectorOperators.ADD);
            double yy = ny.reduceLanes(VectorOperators.ADD);
            double s = sq.reduceLanes(VectorOperators.ADD);
            for (; c < width; c++) {
                long off = base + (long) c * Float.BYTES;
                float a = x.get(ValueLayout.JAVA_FLOAT_UNALIGNED, off);
                float b = y.get(ValueLayout.JAVA_FLOAT_UNALIGNED, off);
                d += a * b;
                xx += a * a;
                yy += b * b;
                float e = b - a;
                s += e * e;
            }
            double norms = Math.sqrt(xx) * Math.sqrt(yy);
            cosSum += norms > 0 ? d / norms : 0.0;
            sqSum += s;
        }
        sums[0] += cosSum;
        sums[1] += sqSum;
    }

    /** Index of the first non-finite value in row {@code row} of width {@code width}, or -1. */
    static int firstNonFinite(MemorySegment src, long row, int width) {
        long base = row * width * (long) Float.BYTES;
        int vectorEnd = SPECIES.loopBound(width);
        int c = 0;
        for (; c < vectorEnd; c += SPECIES.length()) {
            FloatVector v = FloatVector.fromMemorySegment(SPECIES, src, base + (long) c * Float.BYTES, ORDER);
            if (!v.test(VectorOperators.IS_FINITE).allTrue()) break;
        }
        for (; c < width; c++) {
            if (!Float.isFinite(src.get(ValueLayout.JAVA_FLOAT_UNALIGNED, base + (long) c * Float.BYTES))) return c;
        }
        return -1;
    }

    /** {@code dst[c] = src[c] - shift[shiftOffset + c]} for c < width, byte offsets into float32 segments. */
    static void copyMinus(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, float[] shift,
                          int shiftOffset, int width) {
        int vectorEnd = SPECIES.loopBound(width);
        int c = 0;
        for (; c < vectorEnd; c += SPECIES.length()) {
            long off = (long) c * Float.BYTES;
            FloatVector v = FloatVector.fromMemorySegment(SPECIES, src, srcOffset + off, ORDER);
            v.sub(FloatVector.fromArray(SPECIES, shift, shiftOffset + c)).intoMemorySegment(dst, dstOffset + off, ORDER);
        }
        for (; c < width; c++) {
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
}
