package dev.rba.core.linalg.openblas;

import dev.rba.core.linalg.Fp64GramSums;

import dev.rba.core.linalg.GramAccumulator;
import dev.rba.core.linalg.OperandChecks;
import dev.rba.core.linalg.SegmentThreads;
import dev.rba.core.linalg.simd.VectorGramAccumulator;
import dev.rba.core.linalg.simd.WorkerPool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.rba.nativelib.cblas.cblas_h.*;

/**
 * The OpenBLAS backend's streamed Gram: the fp32 product of each window of at most
 * {@link VectorGramAccumulator#FLUSH_ROWS} rows goes into an fp32 scratch, then is added into the fp64 sum. The add is
 * O(cols^2) per window against O(rows * cols^2) for the product, so it costs ~1/rows of the time.
 *
 * <p>Threads: OpenBLAS runs single-threaded (see {@link OpenBlasThreads}), and the window's upper triangle is cut
 * into tiles that rba's own worker threads hand out among themselves: the columns fall into {@link #bands} bands,
 * a diagonal tile is {@code cblas_ssyrk} of one band, an off-diagonal tile {@code cblas_sgemm} of two. Each tile
 * writes its own part of the scratch, so the fp32 values are those of one syrk over all columns up to the order of
 * the k additions. OpenBLAS's own pool spin-waits for its threads; on a shared machine a waiting thread burns the
 * core the other one needs (measured on the 2-core machine under load: 36% of the Gram's CPU time spinning, the
 * Gram 1.6x slower than single-threaded), while rba's workers block.
 * Column sums: {@code cblas_sgemv} of each band with a vector of ones (fp32 per window, fp64 across windows: the
 * same precision model as the Gram), because a Java loop over every element would cost ~15% of the syrk time.
 *
 * <p>Native memory (scratch, ones, a staging copy for heap batches) lives in one shared {@link Arena} owned by this
 * accumulator and freed by {@link #close()}. The worker pool is the backend's.
 */
public final class OpenBlasGramAccumulator implements GramAccumulator {

    private static final int WINDOW = VectorGramAccumulator.FLUSH_ROWS;
    /** Narrowest column band: a narrower tile's GEMM runs far below OpenBLAS's peak. */
    private static final int MIN_BAND = 128;

    private final int cols;
    private final WorkerPool pool;
    /** Column bands: band b is columns [bandStart[b], bandStart[b + 1]). */
    private final int[] bandStart;
    /** The tiles (band pairs i <= j), the off-diagonal GEMMs (twice a syrk's work) first, for an even hand-out. */
    private final int[][] tiles;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment scratch;
    private final MemorySegment sumScratch;
    private final MemorySegment ones;
    private final Fp64GramSums sums;
    private long rows;
    private boolean closed;

    public OpenBlasGramAccumulator(int cols) {
        this(cols, WorkerPool.CALLER_ONLY);
    }

    /** @param pool the threads that share each window's tiles (the caller works too) */
    public OpenBlasGramAccumulator(int cols, WorkerPool pool) {
        if (cols < 1) {
            throw new IllegalArgumentException("Gram accumulator needs cols >= 1, got " + cols);
        }
        this.cols = cols;
        this.pool = pool;
        int bands = bands(cols, pool.threads());
        this.bandStart = new int[bands + 1];
        for (int b = 0; b <= bands; b++) bandStart[b] = (int) ((long) cols * b / bands);
        this.tiles = tiles(bands);
        this.scratch = arena.allocate((long) cols * cols * Float.BYTES, 64);
        this.sumScratch = arena.allocate((long) cols * Float.BYTES, 64);
        this.ones = arena.allocate((long) WINDOW * Float.BYTES, 64);
        for (int i = 0; i < WINDOW; i++) {
            ones.setAtIndex(ValueLayout.JAVA_FLOAT, i, 1f);
        }
        this.sums = new Fp64GramSums(cols);
    }

    /**
     * Column bands for {@code threads} workers: two per worker, so that ~2T(2T+1)/2 tiles of unequal cost even out,
     * but no band narrower than {@link #MIN_BAND} columns; one band (a single syrk) for one worker.
     */
    public static int bands(int cols, int threads) {
        if (threads <= 1) return 1;
        return Math.max(1, Math.min(2 * threads, cols / MIN_BAND));
    }

    /** Every band pair (i, j), i <= j: the off-diagonal ones first, then the diagonal. */
    static int[][] tiles(int bands) {
        int[][] out = new int[bands * (bands + 1) / 2][];
        int t = 0;
        for (int i = 0; i < bands; i++) {
            for (int j = i + 1; j < bands; j++) out[t++] = new int[] {i, j};
        }
        for (int i = 0; i < bands; i++) out[t++] = new int[] {i, i};
        return out;
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
        try (Arena staging = Arena.ofShared()) {
            MemorySegment data = OperandChecks.nativeView(staging, batch, bytes);
            // a batch confined to the calling thread can only be read there
            WorkerPool workers = SegmentThreads.accessibleByOtherThreads(data) ? pool : WorkerPool.CALLER_ONLY;
            for (long done = 0; done < batchRows; done += WINDOW) {
                int k = (int) Math.min(WINDOW, batchRows - done);
                MemorySegment window = data.asSlice(done * cols * Float.BYTES, (long) k * cols * Float.BYTES);
                int bands = bandStart.length - 1;
                // tasks: every tile, then one column-sum task per band
                workers.run(tiles.length + bands, task -> {
                    if (task < tiles.length) tile(window, k, tiles[task][0], tiles[task][1]);
                    else bandSums(window, k, task - tiles.length);
                });
                flush();
            }
        }
        rows += batchRows;
    }

    /** The fp32 product of bands i and j of the window into their block of the scratch (upper triangle for i = j). */
    private void tile(MemorySegment window, int k, int i, int j) {
        int r0 = bandStart[i];
        int rn = bandStart[i + 1] - r0;
        int c0 = bandStart[j];
        int cn = bandStart[j + 1] - c0;
        MemorySegment a = window.asSlice((long) r0 * Float.BYTES);
        MemorySegment out = scratch.asSlice(((long) r0 * cols + c0) * Float.BYTES);
        if (i == j) {
            cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, rn, k, 1f, a, cols, 0f, out, cols);
        } else {
            MemorySegment b = window.asSlice((long) c0 * Float.BYTES);
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, rn, cn, k, 1f, a, cols, b, cols, 0f, out, cols);
        }
    }

    private void bandSums(MemorySegment window, int k, int band) {
        int c0 = bandStart[band];
        int cn = bandStart[band + 1] - c0;
        cblas_sgemv(CblasRowMajor, CblasTrans, k, cn, 1f, window.asSlice((long) c0 * Float.BYTES), cols, ones, 1, 0f,
                sumScratch.asSlice((long) c0 * Float.BYTES), 1);
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
