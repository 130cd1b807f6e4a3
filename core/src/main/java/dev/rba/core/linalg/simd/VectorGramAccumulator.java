package dev.rba.core.linalg.simd;

import dev.rba.core.linalg.Fp64GramSums;
import dev.rba.core.linalg.GramAccumulator;
import dev.rba.core.linalg.OperandChecks;
import dev.rba.core.linalg.SegmentThreads;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The Java backend's streamed Gram: {@code Z^T Z} of each batch in fp32 with the Vector API, added into an fp64 sum.
 *
 * <p>Blocking (why these numbers): a batch is processed in chunks of {@link #chunkRows} rows, chosen so that one
 * packed chunk ({@code chunkRows * cols} floats) is about 1 MiB and stays in a core's L2. A chunk is packed into
 * column strips of {@link MicroKernel#W} floats ({@code packed[strip][row][W]}), so one strip of a chunk
 * ({@code chunkRows * W * 4} bytes, ~43 KiB at d = 768) is the kernel's "B" panel and sits in L1, while the
 * kernel's broadcast operand ("A") is read from the same packed data, MB columns at a time: no second copy.
 * Only tiles on or above the diagonal are computed (syrk, half the flops); the diagonal tiles are computed whole.
 *
 * <p>Threads: the strips of C are handed out largest-first to the backend's {@link WorkerPool}; strips write
 * disjoint columns of the fp32 scratch, so no locking. Packing (and the fp64 column sums) is split by strip too,
 * unless the batch lives in a confined arena: then only the calling thread may read it and packs alone.
 *
 * <p>Precision: the fp32 scratch is added into the fp64 sum at the end of every {@link #add} call and at least
 * every {@link #FLUSH_ROWS} rows, so an fp32 partial sum never covers more than 8,192 products
 * (relative rounding error bounded by ~8192 * 2^-24 = 4.9e-4 worst case, ~sqrt(8192) * 2^-24 = 5.4e-6 typical).
 */
public final class VectorGramAccumulator implements GramAccumulator {

    /** Most rows an fp32 partial sum may cover before it is added into the fp64 sum. */
    public static final int FLUSH_ROWS = 8192;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final WorkerPool pool;
    private final int cols;
    private final int strips;
    private final int ldc;
    private final int chunkRows;
    private final int tileRowsLimit;
    private final float[] packed;
    private final float[] scratch;
    private final double[] gramUpper;
    private final double[] colSums;
    private long rows;
    private int rowsSinceFlush;

    public VectorGramAccumulator(WorkerPool pool, int cols) {
        if (cols < 1) {
            throw new IllegalArgumentException("Gram accumulator needs cols >= 1, got " + cols);
        }
        this.pool = pool;
        this.cols = cols;
        this.strips = (cols + MicroKernel.W - 1) / MicroKernel.W;
        this.ldc = strips * MicroKernel.W;
        this.chunkRows = Math.max(16, Math.min(1024, (1 << 18) / ldc));
        this.tileRowsLimit = (cols + MicroKernel.MB - 1) / MicroKernel.MB * MicroKernel.MB;
        this.packed = new float[strips * chunkRows * MicroKernel.W];
        this.scratch = new float[ldc * ldc];
        this.gramUpper = new double[cols * cols];
        this.colSums = new double[cols];
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public void add(MemorySegment batch, long batchRows) {
        OperandChecks.gramBatch(batch, batchRows, cols);
        long done = 0;
        while (done < batchRows) {
            int nr = (int) Math.min(Math.min(chunkRows, batchRows - done), FLUSH_ROWS - rowsSinceFlush);
            long firstRow = done;
            if (SegmentThreads.accessibleByOtherThreads(batch)) {
                pool.run(strips, s -> packStrip(batch, firstRow, nr, s));
            } else {
                for (int s = 0; s < strips; s++) {
                    packStrip(batch, firstRow, nr, s);
                }
            }
            pool.run(strips, t -> multiplyStrip(nr, strips - 1 - t));
            done += nr;
            rowsSinceFlush += nr;
            if (rowsSinceFlush >= FLUSH_ROWS) {
                flush();
            }
        }
        if (rowsSinceFlush > 0) {
            flush();
        }
        rows += batchRows;
    }

    /** Copies rows [first, first+nr) of column strip s into packed[s][row][W] (zero-padded) and adds column sums. */
    private void packStrip(MemorySegment batch, long first, int nr, int s) {
        int c0 = s * MicroKernel.W;
        int width = Math.min(MicroKernel.W, cols - c0);
        int dst = s * nr * MicroKernel.W;
        double[] sums = colSums;
        for (int r = 0; r < nr; r++, dst += MicroKernel.W) {
            MemorySegment.copy(batch, FLOAT, ((first + r) * cols + c0) * Float.BYTES, packed, dst, width);
            for (int w = 0; w < width; w++) {
                sums[c0 + w] += packed[dst + w];
            }
            if (width < MicroKernel.W) {
                Arrays.fill(packed, dst + width, dst + MicroKernel.W, 0f);
            }
        }
    }

    /** C[0..(sj+1)W, strip sj] += packed^T packed for the chunk: every tile on or above the diagonal in strip sj. */
    private void multiplyStrip(int nr, int sj) {
        int bOff = sj * nr * MicroKernel.W;
        int iEnd = Math.min((sj + 1) * MicroKernel.W, tileRowsLimit);
        for (int i0 = 0; i0 < iEnd; i0 += MicroKernel.MB) {
            int si = i0 / MicroKernel.W;
            int aOff = si * nr * MicroKernel.W + (i0 - si * MicroKernel.W);
            MicroKernel.run(nr, packed, aOff, MicroKernel.W, packed, bOff, scratch, i0 * ldc + sj * MicroKernel.W, ldc);
        }
    }

    /** Adds the fp32 scratch's upper triangle into the fp64 sum and clears the scratch. */
    private void flush() {
        pool.run(cols, i -> {
            int g = i * cols;
            int c = i * ldc;
            for (int j = i; j < cols; j++) {
                gramUpper[g + j] += scratch[c + j];
            }
        });
        Arrays.fill(scratch, 0f);
        rowsSinceFlush = 0;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public double[] gram() {
        return Fp64GramSums.mirrorUpper(gramUpper, cols);
    }


    @Override
    public double[] columnSums() {
        return colSums.clone();
    }

    @Override
    public void close() {
        // heap memory only; the worker pool belongs to the backend
    }
}
