package dev.rba.core.linalg;

import dev.rba.core.linalg.cuda.CudaContext;
import dev.rba.core.linalg.cuda.CudaDevice;
import dev.rba.nativelib.NativeLibraries;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Backend {@code cuda}: cuBLAS for the fp32 products (device fp32 Gram accumulator flushed into fp64 on the host,
 * uploads overlapped with products; see {@link dev.rba.core.linalg.cuda.CudaGramAccumulator}), cuSOLVER for the fp64
 * solvers. The constructor loads cudart, cuBLAS and cuSOLVER and creates the handles on device
 * {@code rba.cuda.device} (default 0), so it fails (and frees what it made) when no GPU answers.
 *
 * <p>TF32: off by default; {@code new CudaBackend(true)} or system property {@code rba.cuda.tf32=true} switches the
 * products to tensor cores with TF32 inputs (10-bit mantissa: relative error ~1e-3 per product, so Gram entries
 * carry ~1e-3 relative error instead of ~1e-6; fine for similarity metrics, not for ill-conditioned fits).
 *
 * <p>Not thread-safe per se: all calls are serialised on one lock, because one cuBLAS handle and stream are shared.
 */
public final class CudaBackend implements Backend {

    public static final String NAME = "cuda";
    public static final String TF32_PROPERTY = "rba.cuda.tf32";
    public static final String DEVICE_PROPERTY = "rba.cuda.device";
    /** Threads that copy batches in ordinary memory into pinned staging buffers (default: half the cores, at most 8). */
    public static final String STAGING_THREADS_PROPERTY = "rba.cuda.stagingThreads";

    private final Object lock = new Object();
    private final CudaDevice device;

    public CudaBackend() {
        this(Boolean.getBoolean(TF32_PROPERTY));
    }

    public CudaBackend(boolean tf32) {
        this(Integer.getInteger(DEVICE_PROPERTY, 0), tf32);
    }

    public CudaBackend(int deviceIndex, boolean tf32) {
        this.device = new CudaDevice(new CudaContext(deviceIndex, tf32), lock, Integer.getInteger(STAGING_THREADS_PROPERTY, 0));
    }

    /** Page-locked memory: Gram batches in it are uploaded by DMA as they are, without a staging copy. */
    @Override
    public MemorySegment allocateHost(long bytes, Arena owner) {
        return device.allocateHost(bytes, owner);
    }

    /** Page-locked buffers from {@link #allocateHost} whose arenas are still open. */
    public int pageLockedBuffers() {
        return device.pageLockedBuffers();
    }

    /** Whether {@code segment} lies in page-locked memory from {@link #allocateHost}. */
    public boolean isPageLocked(MemorySegment segment) {
        return device.isPageLocked(segment, segment.byteSize());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String detail() {
        CudaContext c = device.context();
        int v = c.runtimeVersion();
        return "GPU " + c.device() + " " + c.deviceName() + ", " + (c.totalMemory() >> 20) + " MiB, CUDA runtime " + v / 1000 + "."
                + (v % 1000) / 10 + ", cuBLAS " + NativeLibraries.cublas().path() + ", cuSOLVER " + NativeLibraries.cusolver().path()
                + (c.tf32() ? ", TF32 on" : ", TF32 off") + ", " + device.stagingThreads() + " staging threads, uploads of "
                + device.uploadRows() + " rows";
    }

    public String deviceName() {
        return device.context().deviceName();
    }

    public long deviceMemoryBytes() {
        return device.context().totalMemory();
    }

    public boolean tf32() {
        return device.context().tf32();
    }

    @Override
    public GramAccumulator newGramAccumulator(int cols) {
        return device.newGramAccumulator(cols);
    }

    @Override
    public void sgemm(int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
        OperandChecks.sgemm(m, n, k, a, b, c);
        if (m == 0 || n == 0) {
            return;
        }
        device.sgemm(m, n, k, a, b, c);
    }

    @Override
    public boolean choleskySolve(int n, int nrhs, double[] a, double[] b) {
        OperandChecks.choleskySolve(n, nrhs, a, b);
        return n == 0 || device.choleskySolve(n, nrhs, a, b);
    }

    @Override
    public double[] symmetricEigen(int n, double[] a, double[] vectors) {
        OperandChecks.symmetricEigen(n, a, vectors);
        return n == 0 ? new double[0] : device.symmetricEigen(n, a, vectors);
    }

    @Override
    public double[] svd(int m, int n, double[] a, double[] u, double[] vt) {
        OperandChecks.svd(m, n, a, u, vt);
        return Math.min(m, n) == 0 ? new double[0] : device.svd(m, n, a, u, vt);
    }

    @Override
    public double[] leastSquaresQR(int m, int n, int nrhs, double[] a, double[] b) {
        OperandChecks.leastSquares(m, n, nrhs, a, b);
        return n == 0 || nrhs == 0 ? new double[n * nrhs] : device.leastSquares(m, n, nrhs, a, b);
    }

    @Override
    public void close() {
        device.close();
    }
}
