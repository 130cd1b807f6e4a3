package dev.rba.core.linalg.cuda;

import dev.rba.core.linalg.Fp64GramSums;

import dev.rba.core.linalg.GramAccumulator;
import dev.rba.nativelib.CublasStatus;
import dev.rba.nativelib.CudaStatus;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.rba.nativelib.cublas.cublas_api_h.*;
import static dev.rba.nativelib.cuda.cuda_runtime_api_h.cudaEventRecord;
import static dev.rba.nativelib.cuda.cuda_runtime_api_h.cudaEventSynchronize;

/**
 * The CUDA backend's streamed Gram. Layout: a row-major batch {@code X [k, cols]} is, to column-major cuBLAS, the
 * matrix {@code X^T [cols, k]} with leading dimension cols, so {@code X^T X} is {@code cublasSsyrk(LOWER, N)} (or,
 * with TF32, {@code cublasGemmEx(N, T, ..., CUBLAS_COMPUTE_32F_FAST_TF32)}, since syrk has no tensor-core path),
 * and the column-major lower triangle it fills is the row-major upper triangle. Column sums are {@code X^T * 1}
 * (an sgemm with n = 1), accumulated on the device alongside.
 *
 * <p>fp32 device accumulator, flushed every {@link #FLUSH_ROWS} = 65,536 rows: each cuBLAS call sums at most
 * {@link #STAGE_ROWS} products per entry in registers and adds that once into the accumulator (beta = 1), so an
 * entry sees at most 8,192 + 8 fp32 roundings between flushes (worst case ~8,200 * 2^-24 = 4.9e-4 relative,
 * typical ~sqrt of that count * 2^-24 = 5.4e-6) - the same bound as the CPU backends. A flush (2.4 MB device to
 * host at d = 768 plus cols^2/2 fp64 adds on the host, ~0.5 ms) is amortised over 200 MB of uploads (~8 ms).
 *
 * <p>Pipeline (double-buffered): sub-batch i is copied by the CPU into pinned staging buffer i%2, uploaded with
 * {@code cudaMemcpyAsync} on a copy stream (event copyDone[i%2]), and multiplied on the compute stream once the host
 * saw that event. The product of sub-batch i is issued only after the CPU staged sub-batch i+1, so the CPU copy of
 * i+1, the upload of i+1 and the product of i overlap; before staging into slot s again, the host waits for
 * computeDone[s]. cuBLAS runs on the context's stream; the runtime binding has no cudaStreamWaitEvent, so the
 * cross-stream order is kept by host-side event waits. The last upload stays in flight when {@link #add} returns, so
 * the caller's next batch (ONNX Runtime inference) overlaps it; {@link #gram()} drains the pipeline.
 *
 * <p>All device memory, pinned memory, the copy stream and the events belong to one {@link CudaScope}, released
 * by {@link #close()} (also when the constructor fails).
 */
public final class CudaGramAccumulator implements GramAccumulator {

    public static final int STAGE_ROWS = 8192;
    public static final long FLUSH_ROWS = 65_536;

    private final CudaContext ctx;
    private final Object lock;
    private final int cols;
    private final CudaScope scope = new CudaScope();
    private final MemorySegment copyStream;
    private final MemorySegment[] pinned = new MemorySegment[2];
    private final MemorySegment[] staged = new MemorySegment[2];
    private final MemorySegment[] copyStart = new MemorySegment[2];
    private final MemorySegment[] copyDone = new MemorySegment[2];
    private final MemorySegment[] computeDone = new MemorySegment[2];
    private final boolean[] slotBusy = new boolean[2];
    private final int[] slotRows = new int[2];
    private final MemorySegment deviceGram;
    private final MemorySegment deviceSums;
    private final MemorySegment deviceOnes;
    private final MemorySegment hostGram;
    private final MemorySegment hostSums;
    private final Fp64GramSums sums;
    private long rows;
    private long rowsOnDevice;
    private int nextSlot;
    private int pendingSlot = -1;
    private double copyMillis;
    private boolean closed;

    CudaGramAccumulator(CudaContext ctx, Object lock, int cols) {
        if (cols < 1) {
            throw new IllegalArgumentException("Gram accumulator needs cols >= 1, got " + cols);
        }
        this.ctx = ctx;
        this.lock = lock;
        this.cols = cols;
        long stageBytes = (long) STAGE_ROWS * cols * Float.BYTES;
        try {
            ctx.makeCurrent();
            this.copyStream = scope.stream();
            for (int s = 0; s < 2; s++) {
                pinned[s] = scope.pinned(stageBytes);
                staged[s] = scope.device(stageBytes);
                copyStart[s] = scope.event();
                copyDone[s] = scope.event();
                computeDone[s] = scope.event();
            }
            this.deviceGram = scope.device((long) cols * cols * Float.BYTES);
            this.deviceSums = scope.device((long) cols * Float.BYTES);
            this.deviceOnes = scope.device((long) STAGE_ROWS * Float.BYTES);
            this.hostGram = scope.pinned((long) cols * cols * Float.BYTES);
            this.hostSums = scope.pinned((long) cols * Float.BYTES);
            MemorySegment ones = pinned[0];
            for (int i = 0; i < STAGE_ROWS; i++) {
                ones.setAtIndex(ValueLayout.JAVA_FLOAT, i, 1f);
            }
            CudaCalls.h2d(deviceOnes, ones, (long) STAGE_ROWS * Float.BYTES, copyStream);
            CudaCalls.sync(copyStream);
        } catch (RuntimeException | Error e) {
            try {
                scope.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
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
        if (batchRows < 0) {
            throw new IllegalArgumentException("batch row count must be >= 0, got " + batchRows);
        }
        long bytes = batchRows * cols * Float.BYTES;
        if (batch.byteSize() < bytes) {
            throw new IllegalArgumentException("batch segment holds " + batch.byteSize() + " bytes but " + batchRows + " rows x "
                    + cols + " float32 columns need " + bytes + "; pass the row count the segment really holds");
        }
        synchronized (lock) {
            requireOpen();
            ctx.makeCurrent();
            for (long done = 0; done < batchRows; done += STAGE_ROWS) {
                int k = (int) Math.min(STAGE_ROWS, batchRows - done);
                int slot = nextSlot;
                nextSlot ^= 1;
                if (slotBusy[slot]) {
                    CudaStatus.check("cudaEventSynchronize", cudaEventSynchronize(computeDone[slot]));
                    slotBusy[slot] = false;
                }
                long partBytes = (long) k * cols * Float.BYTES;
                MemorySegment.copy(batch, done * cols * Float.BYTES, pinned[slot], 0, partBytes);
                if (pendingSlot >= 0) {
                    issueProduct(pendingSlot);
                }
                CudaStatus.check("cudaEventRecord", cudaEventRecord(copyStart[slot], copyStream));
                CudaCalls.h2d(staged[slot], pinned[slot], partBytes, copyStream);
                CudaStatus.check("cudaEventRecord", cudaEventRecord(copyDone[slot], copyStream));
                slotRows[slot] = k;
                pendingSlot = slot;
            }
            rows += batchRows;
        }
    }

    /** Waits (host side) for the slot's upload, then queues its product and column sums on the compute stream. */
    private void issueProduct(int slot) {
        CudaStatus.check("cudaEventSynchronize", cudaEventSynchronize(copyDone[slot]));
        copyMillis += CudaCalls.elapsedMillis(copyStart[slot], copyDone[slot]);
        int k = slotRows[slot];
        MemorySegment beta = rowsOnDevice == 0 ? ctx.zeroF : ctx.oneF;
        MemorySegment h = ctx.cublas();
        if (ctx.tf32()) {
            CublasStatus.check("cublasGemmEx", cublasGemmEx(h, CUBLAS_OP_N, CUBLAS_OP_T, cols, cols, k, ctx.oneF,
                    staged[slot], CUDA_R_32F, cols, staged[slot], CUDA_R_32F, cols, beta, deviceGram, CUDA_R_32F, cols,
                    CUBLAS_COMPUTE_32F_FAST_TF32, CUBLAS_GEMM_DEFAULT));
        } else {
            CublasStatus.check("cublasSsyrk_v2", cublasSsyrk_v2(h, CUBLAS_FILL_MODE_LOWER, CUBLAS_OP_N, cols, k, ctx.oneF,
                    staged[slot], cols, beta, deviceGram, cols));
        }
        CublasStatus.check("cublasSgemm_v2", cublasSgemm_v2(h, CUBLAS_OP_N, CUBLAS_OP_N, cols, 1, k, ctx.oneF, staged[slot], cols,
                deviceOnes, STAGE_ROWS, beta, deviceSums, cols));
        CudaStatus.check("cudaEventRecord", cudaEventRecord(computeDone[slot], ctx.stream()));
        slotBusy[slot] = true;
        rowsOnDevice += k;
        if (rowsOnDevice >= FLUSH_ROWS) {
            flush();
        }
    }

    /** Copies the fp32 device sums to the host and adds them into the fp64 sums; the next product starts at beta = 0. */
    private void flush() {
        if (rowsOnDevice == 0) {
            return;
        }
        CudaCalls.d2h(hostGram, deviceGram, (long) cols * cols * Float.BYTES, ctx.stream());
        CudaCalls.d2h(hostSums, deviceSums, (long) cols * Float.BYTES, ctx.stream());
        CudaCalls.sync(ctx.stream());
        // cuBLAS's column-major lower triangle read as row-major is the upper triangle Fp64GramSums sums
        sums.add(hostGram, hostSums);
        rowsOnDevice = 0;
    }

    /** Issues the pending product and flushes: after this, the fp64 sums hold every row added. */
    private void drain() {
        requireOpen();
        ctx.makeCurrent();
        if (pendingSlot >= 0) {
            int slot = pendingSlot;
            pendingSlot = -1;
            issueProduct(slot);
        }
        flush();
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
            return copyMillis;
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this CUDA Gram accumulator is closed; create a new one");
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                ctx.makeCurrent();
                CudaCalls.sync(copyStream);
                CudaCalls.sync(ctx.stream());
            } finally {
                scope.close();
            }
        }
    }
}
