package dev.rba.core.stats;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link RowKernels} on the Vector API, loaded only when the JVM has it; row tails run the scalar loops. */
final class SimdRowKernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private SimdRowKernels() {
    }

    static void addCosineAndSquaredDifference(MemorySegment x, MemorySegment y, long rows, int width, double[] sums) {
        long rowBytes = (long) width * Float.BYTES;
        int vectorEnd = SPECIES.loopBound(width);
        double[] row = new double[4];
        double cosSum = 0;
        double sqSum = 0;
        for (long r = 0; r < rows; r++) {
            long base = r * rowBytes;
            FloatVector dot = FloatVector.zero(SPECIES);
            FloatVector nx = FloatVector.zero(SPECIES);
            FloatVector ny = FloatVector.zero(SPECIES);
            FloatVector sq = FloatVector.zero(SPECIES);
            for (int c = 0; c < vectorEnd; c += SPECIES.length()) {
                long off = base + (long) c * Float.BYTES;
                FloatVector vx = FloatVector.fromMemorySegment(SPECIES, x, off, ORDER);
                FloatVector vy = FloatVector.fromMemorySegment(SPECIES, y, off, ORDER);
                dot = vx.fma(vy, dot);
                nx = vx.fma(vx, nx);
                ny = vy.fma(vy, ny);
                FloatVector diff = vy.sub(vx);
                sq = diff.fma(diff, sq);
            }
            row[0] = dot.reduceLanes(VectorOperators.ADD);
            row[1] = nx.reduceLanes(VectorOperators.ADD);
            row[2] = ny.reduceLanes(VectorOperators.ADD);
            row[3] = sq.reduceLanes(VectorOperators.ADD);
            RowKernels.addRowSums(x, y, base, vectorEnd, width, row);
            cosSum += RowKernels.cosine(row);
            sqSum += row[3];
        }
        sums[0] += cosSum;
        sums[1] += sqSum;
    }

    static void copyMinus(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, float[] shift,
                          int shiftOffset, int width) {
        int vectorEnd = SPECIES.loopBound(width);
        for (int c = 0; c < vectorEnd; c += SPECIES.length()) {
            long off = (long) c * Float.BYTES;
            FloatVector v = FloatVector.fromMemorySegment(SPECIES, src, srcOffset + off, ORDER);
            v.sub(FloatVector.fromArray(SPECIES, shift, shiftOffset + c)).intoMemorySegment(dst, dstOffset + off, ORDER);
        }
        RowKernels.copyMinusFrom(src, srcOffset, dst, dstOffset, shift, shiftOffset, vectorEnd, width);
    }
}
