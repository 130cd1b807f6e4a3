package dev.rba.core.linalg.cuda;

import dev.rba.core.linalg.GramAccumulator;

import dev.rba.nativelib.CudaStatus;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.rba.nativelib.cuda.cuda_runtime_api_h.cudaFreeHost;

/**
 * The CUDA backend's operations behind one lock (one cuBLAS handle and one stream are shared by all of them).
 * Owns the {@link CudaContext}, the upload ring and staging threads its Gram accumulators share, and the registry
 * of the page-locked host buffers it handed out; accumulators own their own buffers and must be closed before the
 * backend.
 */
public final class CudaDevice implements AutoCloseable {

    private final CudaContext ctx;
    private final Object lock;
    private final CudaSolvers solvers;
    private final StagingRing ring;
    private final ParallelCopier copier;
    private final PinnedRanges pinnedRanges = new PinnedRanges();
    /** Rows per upload (a multiple of the product size); property rba.cuda.uploadRows, for tuning. */
    private final int uploadRows = uploadRowsSetting();
    /** Set under the lock; every operation checks it, since CUDA handles used after release crash the process. */
    private boolean closed;

    /** Takes ownership of {@code ctx}: closes it when this constructor fails. */
    public CudaDevice(CudaContext ctx, Object lock, int stagingThreads) {
        this.ctx = ctx;
        this.lock = lock;
        try {
            this.solvers = new CudaSolvers(ctx);
            this.ring = new StagingRing(ctx);
        } catch (RuntimeException | Error e) {
            CudaScope.closeAfterFailure(ctx, e);
            throw e;
        }
        this.copier = new ParallelCopier(stagingThreads <= 0 ? ParallelCopier.defaultThreads() : stagingThreads);
    }

    private static int uploadRowsSetting() {
        int rows = Integer.getInteger("rba.cuda.uploadRows", CudaGramAccumulator.STAGE_ROWS);
        int stage = CudaGramAccumulator.STAGE_ROWS;
        return Math.max(stage, (rows + stage - 1) / stage * stage);
    }

    public int uploadRows() {
        return uploadRows;
    }

    public int stagingThreads() {
        return copier.threads();
    }

    /**
     * {@code bytes} of page-locked host memory ({@code cudaMallocHost}), freed ({@code cudaFreeHost}) when
     * {@code owner} closes. Gram batches in such memory go to the GPU by DMA without a staging copy.
     */
    public MemorySegment allocateHost(long bytes, Arena owner) {
        if (bytes < 0) {
            throw new IllegalArgumentException("host buffer size must be >= 0, got " + bytes);
        }
        MemorySegment raw;
        synchronized (lock) {
            requireOpen();
            ctx.makeCurrent();
            raw = CudaCalls.hostMalloc(bytes);
        }
        long address = raw.address();
        pinnedRanges.add(address, raw.byteSize());
        try {
            // the cleanup runs on whichever thread closes the arena; a failure there has no caller to go to
            return raw.reinterpret(bytes, owner, seg -> {
                pinnedRanges.remove(address);
                cudaFreeHost(MemorySegment.ofAddress(address));
            });
        } catch (RuntimeException | Error e) {
            pinnedRanges.remove(address);
            CudaStatus.check("cudaFreeHost", cudaFreeHost(raw));
            throw e;
        }
    }

    /** Page-locked buffers handed out by {@link #allocateHost} and not freed yet. */
    public int pageLockedBuffers() {
        return pinnedRanges.count();
    }

    /** Whether the first {@code bytes} of {@code segment} lie in page-locked memory from {@link #allocateHost}. */
    public boolean isPageLocked(MemorySegment segment, long bytes) {
        return pinnedRanges.covers(segment, bytes);
    }

    public CudaContext context() {
        return ctx;
    }

    /** Throws when the backend was closed; call under the lock. */
    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the CUDA backend is closed; open a new one (its accumulators and solvers died with it)");
        }
    }

    boolean isClosed() {
        return closed;
    }

    public GramAccumulator newGramAccumulator(int cols) {
        synchronized (lock) {
            requireOpen();
            return new CudaGramAccumulator(this, ctx, ring, copier, pinnedRanges, lock, cols);
        }
    }

    public void sgemm(int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
        synchronized (lock) {
            requireOpen();
            CudaSgemm.sgemm(ctx, m, n, k, a, b, c);
        }
    }

    public boolean choleskySolve(int n, int nrhs, double[] a, double[] b) {
        synchronized (lock) {
            requireOpen();
            return solvers.choleskySolve(n, nrhs, a, b);
        }
    }

    public double[] symmetricEigen(int n, double[] a, double[] vectors) {
        synchronized (lock) {
            requireOpen();
            return solvers.symmetricEigen(n, a, vectors);
        }
    }

    public double[] svd(int m, int n, double[] a, double[] u, double[] vt) {
        synchronized (lock) {
            requireOpen();
            return solvers.svd(m, n, a, u, vt);
        }
    }

    public double[] leastSquares(int m, int n, int nrhs, double[] a, double[] b) {
        synchronized (lock) {
            requireOpen();
            return solvers.leastSquares(m, n, nrhs, a, b);
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
                ring.close();
            } finally {
                copier.close();
                ctx.close();
            }
        }
    }
}
