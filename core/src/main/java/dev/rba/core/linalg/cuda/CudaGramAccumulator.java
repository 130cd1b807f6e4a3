package dev.rba.core.linalg.cuda;

import dev.rba.core.linalg.Fp64GramSums;
import dev.rba.core.linalg.GramAccumulator;
import dev.rba.core.linalg.OperandChecks;
import dev.rba.nativelib.CublasStatus;

import java.lang.foreign.MemorySegment;

import static dev.rba.nativelib.cublas.cublas_api_h.*;

/**
 * The CUDA backend's streamed Gram. Layout: a row-major batch {@code X [k, cols]} is, to column-major cuBLAS, the
 * matrix {@code X^T [cols, k]} with leading dimension cols, so {@code X^T X} is {@code cublasSgemm(N, T)} (with TF32,
 * {@code cublasGemmEx(N, T, ..., CUBLAS_COMPUTE_32F_FAST_TF32)}); only the column-major lower triangle, which is the
 * row-major upper triangle, is read back into fp64. Column sums are {@code X^T * 1}
 * (an sgemm with n = 1), accumulated on the device alongside.
 *
 * <p>Precision: fp32 device accumulator, flushed every {@link #FLUSH_ROWS} = 65,536 rows: each cuBLAS call sums at
 * most {@link #STAGE_ROWS} products per entry in registers and adds that once into the accumulator (beta = 1), so
 * an entry sees at most 8,192 + 8 fp32 roundings between flushes (worst case ~8,200 * 2^-24 = 4.9e-4 relative,
 * typical ~sqrt of that count * 2^-24 = 5.4e-6) - the same bound as the CPU backends. Flushed sums are added into
 * fp64 on the host ({@link Fp64GramSums}).
 *
 * <p>Pipeline: a batch goes up in sub-batches of at most {@link #STAGE_ROWS} rows through the device's
 * {@link StagingRing}. A batch in page-locked memory from {@link CudaDevice#allocateHost} is uploaded by DMA as it
 * is, and {@link #add} waits for its last upload before returning, because the caller may overwrite it then.
 * Any other batch is first copied into a slot's pinned buffer by several threads ({@link ParallelCopier}); then
 * {@link #add} returns with the last uploads still in flight, overlapping the caller's next work. Products wait for
 * their uploads on the GPU (stream events), so copies and products overlap and the host never waits for a product.
 * Flushes alternate between two device accumulators: the device-to-host copy of one is queued while products go on
 * into the other, and is added into fp64 only at the next flush, {@link #FLUSH_ROWS} rows later.
 *
 * <p>The device accumulators and their pinned read-back buffers belong to this object's {@link CudaScope}, released
 * by {@link #close()} (also when the constructor fails).
 */
public final class CudaGramAccumulator implements GramAccumulator {

    public static final int STAGE_ROWS = 8192;
    public static final long FLUSH_ROWS = 65_536;

    private final CudaDevice device;
    private final CudaContext ctx;
    private final StagingRing ring;
    private final ParallelCopier copier;
    private final PinnedRanges pinnedRanges;
    private final Object lock;
    private final int cols;
    private final CudaScope scope = new CudaScope();
    private final MemorySegment[] deviceGram = new MemorySegment[2];
    private final MemorySegment[] deviceSums = new MemorySegment[2];
    private final MemorySegment[] hostGram = new MemorySegment[2];
    private final MemorySegment[] hostSums = new MemorySegment[2];
    private final MemorySegment[] readBackDone = new MemorySegment[2];
    private final boolean[] readBackPending = new boolean[2];
    private final Fp64GramSums sums;
    /** The device accumulator products go into now. */
    private int current;
    private long rows;
    private long rowsInCurrent;
    private double copyMillis;
    private long directBytes;
    private long stagedBytes;
    private boolean closed;

    CudaGramAccumulator(CudaDevice device, CudaContext ctx, StagingRing ring, ParallelCopier copier, PinnedRanges pinnedRanges, Object lock,
                        int cols) {
        if (cols < 1) {
            throw new IllegalArgumentException("Gram accumulator needs cols >= 1, got " + cols);
        }
        this.device = device;
        this.ctx = ctx;
        this.ring = ring;
        this.copier = copier;
        this.pinnedRanges = pinnedRanges;
        this.lock = lock;
        this.cols = cols;
        try {
            ctx.makeCurrent();
            for (int a = 0; a < 2; a++) {
                deviceGram[a] = scope.device((long) cols * cols * Float.BYTES);
                deviceSums[a] = scope.device((long) cols * Float.BYTES);
                hostGram[a] = scope.pinned((long) cols * cols * Float.BYTES);
                hostSums[a] = scope.pinned((long) cols * Float.BYTES);
                readBackDone[a] = scope.event();
            }
        } catch (RuntimeException | Error e) {
            CudaScope.closeAfterFailure(scope, e);
            throw e;
        }
        this.sums = new Fp64GramSums(cols);
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public void add(MemorySegment batch, long batchRows) {
        long bytes = OperandChecks.gramBatch(batch, batchRows, cols);
        synchronized (lock) {
            requireOpen();
            ctx.makeCurrent();
            boolean direct = pinnedRanges.covers(batch, bytes);
            int uploadRows = device.uploadRows();
            for (long done = 0; done < batchRows; done += uploadRows) {
                int k = (int) Math.min(uploadRows, batchRows - done);
                long offset = done * cols * Float.BYTES;
                long partBytes = (long) k * cols * Float.BYTES;
                StagingRing.Slot slot = ring.acquire((long) uploadRows * cols * Float.BYTES);
                MemorySegment src;
                if (direct) {
                    src = batch.asSlice(offset, partBytes);
                    directBytes += partBytes;
                } else {
                    copier.copy(batch, offset, slot.pinned, partBytes);
                    src = slot.pinned;
                    stagedBytes += partBytes;
                }
                ring.upload(slot, src, partBytes, ms -> copyMillis += ms);
                // one upload, products of at most STAGE_ROWS rows each (the precision bound above)
                for (int first = 0; first < k; first += STAGE_ROWS) {
                    int rowsHere = Math.min(STAGE_ROWS, k - first);
                    queueProduct(MemorySegment.ofAddress(slot.device.address() + (long) first * cols * Float.BYTES), rowsHere);
                    if (rowsInCurrent >= FLUSH_ROWS) {
                        switchAccumulator();
                    }
                }
                ring.computeQueued(slot);
            }
            if (direct && batchRows > 0) {
                // the caller owns the batch again once add returns: its uploads must be over
                ring.finishAllCopies();
            }
            rows += batchRows;
        }
    }

    /** Queues {@code X^T X} and {@code X^T 1} of the k rows in {@code staged} into the current device accumulator. */
    private void queueProduct(MemorySegment staged, int k) {
        MemorySegment beta = rowsInCurrent == 0 ? ctx.zeroF : ctx.oneF;
        MemorySegment h = ctx.cublas();
        MemorySegment gram = deviceGram[current];
        if (ctx.tf32()) {
            CublasStatus.check("cublasGemmEx", cublasGemmEx(h, CUBLAS_OP_N, CUBLAS_OP_T, cols, cols, k, ctx.oneF,
                    staged, CUDA_R_32F, cols, staged, CUDA_R_32F, cols, beta, gram, CUDA_R_32F, cols,
                    CUBLAS_COMPUTE_32F_FAST_TF32, CUBLAS_GEMM_DEFAULT));
        } else {
            // sgemm, not ssyrk, though ssyrk needs half the flops: with ssyrk the fp32 Gram of 1M x 768 from
            // page-locked memory took 0.100 s on the H200 with the uploads busy 60% of it, against 0.068 s (90%) for
            // the TF32 GemmEx path, so ssyrk, not the copies, set the pace (docs/gpu/README.md)
            CublasStatus.check("cublasSgemm_v2", cublasSgemm_v2(h, CUBLAS_OP_N, CUBLAS_OP_T, cols, cols, k, ctx.oneF,
                    staged, cols, staged, cols, beta, gram, cols));
        }
        CublasStatus.check("cublasSgemm_v2", cublasSgemm_v2(h, CUBLAS_OP_N, CUBLAS_OP_N, cols, 1, k, ctx.oneF, staged, cols,
                ring.ones(), StagingRing.ONES, beta, deviceSums[current], cols));
        rowsInCurrent += k;
    }

    /**
     * Queues the read-back of the current device accumulator and moves products to the other one, whose own
     * read-back (queued a flush ago, so long done) is first added into the fp64 sums.
     */
    private void switchAccumulator() {
        if (rowsInCurrent == 0) {
            return;
        }
        int a = current;
        CudaCalls.d2h(hostGram[a], deviceGram[a], (long) cols * cols * Float.BYTES, ctx.stream());
        CudaCalls.d2h(hostSums[a], deviceSums[a], (long) cols * Float.BYTES, ctx.stream());
        CudaCalls.record(readBackDone[a], ctx.stream());
        readBackPending[a] = true;
        current = a ^ 1;
        rowsInCurrent = 0;
        foldReadBack(current);
    }

    /** Adds accumulator a's read-back into the fp64 sums, once it has arrived. */
    private void foldReadBack(int a) {
        if (readBackPending[a]) {
            CudaCalls.eventSync(readBackDone[a]);
            // cuBLAS's column-major lower triangle read as row-major is the upper triangle Fp64GramSums sums
            sums.add(hostGram[a], hostSums[a]);
            readBackPending[a] = false;
        }
    }

    /** After this, the fp64 sums hold every row added. */
    private void drain() {
        requireOpen();
        ctx.makeCurrent();
        switchAccumulator();
        foldReadBack(0);
        foldReadBack(1);
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public double[] gram() {
        synchronized (lock) {
            drain();
            return sums.gram();
        }
    }

    @Override
    public double[] columnSums() {
        synchronized (lock) {
            drain();
            return sums.columnSums();
        }
    }

    /** Total milliseconds the host-to-device uploads took on the GPU (cudaEvent timing), for the benchmark. */
    public double copyMillis() {
        synchronized (lock) {
            requireOpen();
            ring.finishAllCopies();
            return copyMillis;
        }
    }

    /** Bytes uploaded straight from the caller's page-locked memory, and bytes staged through pinned buffers first. */
    public long[] uploadedBytes() {
        synchronized (lock) {
            return new long[] {directBytes, stagedBytes};
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this CUDA Gram accumulator is closed; create a new one");
        }
        device.requireOpen();
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                // queued products may still write this accumulator's device buffers; a closed device has waited
                // for them already, and its streams are gone
                if (!device.isClosed()) {
                    ctx.makeCurrent();
                    ring.sync();
                }
            } finally {
                scope.close();
            }
        }
    }
}
