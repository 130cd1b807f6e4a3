package dev.rba.core.linalg.cuda;

import dev.rba.nativelib.CublasStatus;
import dev.rba.nativelib.CudaStatus;
import dev.rba.nativelib.CusolverStatus;
import dev.rba.nativelib.NativeLibraries;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.rba.nativelib.cublas.cublas_api_h.*;
import static dev.rba.nativelib.cuda.cuda_runtime_api_h.cudaSetDevice;
import static dev.rba.nativelib.cusolver.cusolverDn_h.cusolverDnCreate;
import static dev.rba.nativelib.cusolver.cusolverDn_h.cusolverDnDestroy;
import static dev.rba.nativelib.cusolver.cusolverDn_h.cusolverDnSetStream;

/**
 * One device, one compute stream, and a cuBLAS and a cuSOLVER handle bound to that stream. Creating it proves that
 * the libraries load and that a device answers (handle creation initialises the context). Host-side constants for
 * cuBLAS's host pointer mode (1 and 0 as float and double) live in a shared arena closed with the context.
 * Not thread-safe: the backend serialises calls.
 */
public final class CudaContext implements AutoCloseable {

    private final CudaScope scope = new CudaScope();
    private final Arena constants = Arena.ofShared();
    private final int device;
    private final String deviceName;
    private final long totalMemory;
    private final int runtimeVersion;
    private final boolean tf32;
    private final MemorySegment stream;
    private final MemorySegment cublas;
    private final MemorySegment cusolver;
    final MemorySegment oneF;
    final MemorySegment zeroF;
    final MemorySegment oneD;
    final MemorySegment zeroD;

    public CudaContext(int device, boolean tf32) {
        try {
            NativeLibraries.cudart();
            NativeLibraries.cublas();
            NativeLibraries.cusolver();
            int count = CudaCalls.deviceCount();
            if (count == 0) {
                throw new IllegalStateException("the CUDA runtime loads but reports no GPU (cudaGetDeviceCount = 0)");
            }
            if (device < 0 || device >= count) {
                throw new IllegalArgumentException("CUDA device " + device + " does not exist: this machine has " + count
                        + "; set rba.cuda.device to 0.." + (count - 1));
            }
            this.device = device;
            this.tf32 = tf32;
            CudaStatus.check("cudaSetDevice", cudaSetDevice(device));
            this.deviceName = CudaCalls.deviceName(device);
            this.totalMemory = CudaCalls.memoryInfo()[1];
            this.runtimeVersion = CudaCalls.runtimeVersion();
            this.stream = scope.stream();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment out = a.allocate(ValueLayout.ADDRESS);
                CublasStatus.check("cublasCreate_v2", cublasCreate_v2(out));
                this.cublas = out.get(ValueLayout.ADDRESS, 0);
                scope.onClose("cublasDestroy_v2", () -> cublasDestroy_v2(cublas));
                CusolverStatus.check("cusolverDnCreate", cusolverDnCreate(out));
                this.cusolver = out.get(ValueLayout.ADDRESS, 0);
                scope.onClose("cusolverDnDestroy", () -> cusolverDnDestroy(cusolver));
            }
            CublasStatus.check("cublasSetStream_v2", cublasSetStream_v2(cublas, stream));
            CublasStatus.check("cublasSetPointerMode_v2", cublasSetPointerMode_v2(cublas, CUBLAS_POINTER_MODE_HOST));
            // TF32 only when asked: default math keeps fp32 products in full fp32 (cuBLAS 11+ never uses TF32 by default)
            CublasStatus.check("cublasSetMathMode", cublasSetMathMode(cublas, tf32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
            CusolverStatus.check("cusolverDnSetStream", cusolverDnSetStream(cusolver, stream));
            this.oneF = constants.allocateFrom(ValueLayout.JAVA_FLOAT, 1f);
            this.zeroF = constants.allocateFrom(ValueLayout.JAVA_FLOAT, 0f);
            this.oneD = constants.allocateFrom(ValueLayout.JAVA_DOUBLE, 1d);
            this.zeroD = constants.allocateFrom(ValueLayout.JAVA_DOUBLE, 0d);
        } catch (RuntimeException | Error e) {
            CudaScope.closeAfterFailure(this, e);
            throw e;
        }
    }

    /** Makes this context's device current for the calling thread (the CUDA runtime's current device is per thread). */
    public void makeCurrent() {
        CudaStatus.check("cudaSetDevice", cudaSetDevice(device));
    }

    public MemorySegment stream() {
        return stream;
    }

    public MemorySegment cublas() {
        return cublas;
    }

    public MemorySegment cusolver() {
        return cusolver;
    }

    public boolean tf32() {
        return tf32;
    }

    public int device() {
        return device;
    }

    public String deviceName() {
        return deviceName;
    }

    public long totalMemory() {
        return totalMemory;
    }

    /** e.g. 13000 for CUDA 13.0. */
    public int runtimeVersion() {
        return runtimeVersion;
    }

    @Override
    public void close() {
        try {
            scope.close();
        } finally {
            if (constants.scope().isAlive()) {
                constants.close();
            }
        }
    }
}
