package dev.rba.core.linalg;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The fp64 running sums behind a native {@link GramAccumulator}: fp32 partial Grams and column sums, computed by a
 * BLAS library in native memory, are added into fp64 here, so precision does not decay with the number of rows.
 * Only the upper triangle is summed (the products are symmetric); {@link #gram()} mirrors it.
 */
public final class Fp64GramSums {
    private final int cols;
    private final float[] gramCopy;
    private final float[] sumCopy;
    private final double[] gramUpper;
    private final double[] colSums;

    public Fp64GramSums(int cols) {
        this.cols = cols;
        this.gramCopy = new float[cols * cols];
        this.sumCopy = new float[cols];
        this.gramUpper = new double[cols * cols];
        this.colSums = new double[cols];
    }

    /**
     * Adds fp32 partial sums: {@code gram} holds [cols, cols] floats whose row-major upper triangle is valid (a
     * column-major lower triangle, as cuBLAS writes it, reads the same), {@code sums} [cols] floats.
     */
    public void add(MemorySegment gram, MemorySegment sums) {
        MemorySegment.copy(gram, ValueLayout.JAVA_FLOAT, 0, gramCopy, 0, cols * cols);
        MemorySegment.copy(sums, ValueLayout.JAVA_FLOAT, 0, sumCopy, 0, cols);
        for (int r = 0; r < cols; r++) {
            int base = r * cols;
            for (int c = r; c < cols; c++) {
                gramUpper[base + c] += gramCopy[base + c];
            }
        }
        for (int j = 0; j < cols; j++) {
            colSums[j] += sumCopy[j];
        }
    }

    /** The full symmetric fp64 Gram (a fresh copy). */
    public double[] gram() {
        return mirrorUpper(gramUpper, cols);
    }

    /** The fp64 column sums (a fresh copy). */
    public double[] columnSums() {
        return colSums.clone();
    }

    /** A full symmetric copy of a matrix whose upper triangle (j >= i) holds the values. */
    public static double[] mirrorUpper(double[] upper, int n) {
        double[] full = upper.clone();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                full[j * n + i] = full[i * n + j];
            }
        }
        return full;
    }
}
