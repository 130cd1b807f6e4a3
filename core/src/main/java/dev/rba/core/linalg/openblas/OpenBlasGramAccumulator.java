package dev.rba.core.linalg.openblas;

import dev.rba.core.linalg.Fp64GramSums;

import dev.rba.core.linalg.GramAccumulator;
import dev.rba.core.linalg.OperandChecks;
import dev.rba.core.linalg.simd.VectorGramAccumulator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.rba.nativelib.cblas.cblas_h.*;

/**
 * The OpenBLAS backend's streamed Gram: {@code cblas_ssyrk} (fp32, upper triangle) of each window of at most
 * {@link VectorGramAccumulator#FLUSH_ROWS} rows into an fp32 scratch, then added into the fp64 sum. The add is
 * O(cols^2) per window against O(rows * cols^2) for the product, so it costs ~1/rows of the time.
 * Column sums: {@code cblas_sgemv} of the window with a vector of ones (fp32 per window, fp64 across windows: the
 * same precision model as the Gram), because a Java loop over every element would cost ~15% of the syrk time.
 *
 * <p>Native memory (scratch, ones, a staging copy for heap batches) lives in one shared {@link Arena} owned by this
 * accumulator and freed by {@link #close()}.
 */
public final class OpenBlasGramAccumulator implements GramAccumulator {

    private static final int WINDOW = VectorGramAccumulator.FLUSH_ROWS;

    private final int cols;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment scratch;
    private final MemorySegment sumScratch;
    private final MemorySegment ones;
    private final Fp64GramSums sums;
    private long rows;
    private boolean closed;

    public OpenBlasGramAccumulator(int cols) {
        if (cols < 1) {
            throw new IllegalArgumentException("Gram accumulator needs cols >= 1, got " + cols);
        }
        this.cols = cols;
        this.scratch = arena.allocate((long) cols * cols * Float.BYTES, 64);
        this.sumScratch = arena.allocate((long) cols * Float.BYTES, 64);
        this.ones = arena.allocate((long) WINDOW * Float.BYTES, 64);
        for (int i = 0; i < WINDOW; i++) {
            ones.setAtIndex(ValueLayout.JAVA_FLOAT, i, 1f);
        }
        this.sums = new Fp64GramSums(cols);
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public void add(MemorySegment batch, long batchRows) {
        if (closed) {
            throw new IllegalStateException("this OpenBLAS Gram accumulator is closed; create a new one");
        }
        long bytes = OperandChecks.gramBatch(batch, batchRows, cols);
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment data = OperandChecks.nativeView(staging, batch, bytes);
            for (long done = 0; done < batchRows; done += WINDOW) {
                int k = (int) Math.min(WINDOW, batchRows - done);
                MemorySegment window = data.asSlice(done * cols * Float.BYTES, (long) k * cols * Float.BYTES);
                cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, cols, k, 1f, window, cols, 0f, scratch, cols);
                cblas_sgemv(CblasRowMajor, CblasTrans, k, cols, 1f, window, cols, ones, 1, 0f, sumScratch, 1);
                flush();
            }
        }
        rows += batchRows;
    }

    private void flush() {
        sums.add(scratch, sumScratch);
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public double[] gram() {
        return sums.gram();
    }

    @Override
    public double[] columnSums() {
        return sums.columnSums();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}
