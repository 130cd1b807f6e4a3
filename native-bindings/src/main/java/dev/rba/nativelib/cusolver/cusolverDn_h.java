package dev.rba.nativelib.cusolver;

import static dev.rba.nativelib.CLayouts.*;

import dev.rba.nativelib.Downcalls;
import dev.rba.nativelib.NativeLibraries;
import dev.rba.nativelib.NativeLibrary;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Bindings for cuSOLVER dense {@code cusolverDn.h} (libcusolver): QR, Cholesky, SVD (gesvd, Jacobi gesvdj) and
 * symmetric eigen solvers. Check statuses with {@link dev.rba.nativelib.CusolverStatus#check} and the device-side
 * {@code devInfo} (copied to the host) with {@link dev.rba.nativelib.CusolverStatus#checkInfo}.
 * <p>Hand-written in jextract's shape: one static method per C function, C names and parameter names kept, each over a
 * downcall handle created on first use and cached in a holder class of the same name. Pointers and handles are
 * MemorySegment, C int/enum are int, size_t is long, char is byte. The list of functions lives in
 * {@code dev/rba/nativelib/bindings.txt}; BindingsListTest keeps the two in step.
 */
@SuppressWarnings({"unused", "checkstyle:MethodName", "checkstyle:TypeName"})
public final class cusolverDn_h {
    private cusolverDn_h() {
    }

    /** The library these symbols come from (loads it on first call; throws NativeLibraryUnavailableException). */
    public static NativeLibrary library() {
        return NativeLibraries.cusolver();
    }

    // cusolverStatus_t
    public static final int CUSOLVER_STATUS_SUCCESS = 0;
    public static final int CUSOLVER_STATUS_NOT_INITIALIZED = 1;
    public static final int CUSOLVER_STATUS_ALLOC_FAILED = 2;
    public static final int CUSOLVER_STATUS_INVALID_VALUE = 3;
    public static final int CUSOLVER_STATUS_ARCH_MISMATCH = 4;
    public static final int CUSOLVER_STATUS_MAPPING_ERROR = 5;
    public static final int CUSOLVER_STATUS_EXECUTION_FAILED = 6;
    public static final int CUSOLVER_STATUS_INTERNAL_ERROR = 7;
    public static final int CUSOLVER_STATUS_MATRIX_TYPE_NOT_SUPPORTED = 8;
    public static final int CUSOLVER_STATUS_NOT_SUPPORTED = 9;
    public static final int CUSOLVER_STATUS_ZERO_PIVOT = 10;
    public static final int CUSOLVER_STATUS_INVALID_LICENSE = 11;
    // cusolverEigMode_t
    public static final int CUSOLVER_EIG_MODE_NOVECTOR = 0;
    public static final int CUSOLVER_EIG_MODE_VECTOR = 1;
    // cublasFillMode_t, cublasSideMode_t, cublasOperation_t (from cublas_api.h, which cusolverDn.h includes)
    public static final int CUBLAS_FILL_MODE_LOWER = 0;
    public static final int CUBLAS_FILL_MODE_UPPER = 1;
    public static final int CUBLAS_SIDE_LEFT = 0;
    public static final int CUBLAS_SIDE_RIGHT = 1;
    public static final int CUBLAS_OP_N = 0;
    public static final int CUBLAS_OP_T = 1;
    // libraryPropertyType (library_types.h)
    public static final int MAJOR_VERSION = 0;
    public static final int MINOR_VERSION = 1;
    public static final int PATCH_LEVEL = 2;

    private static final class cusolverGetProperty {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverGetProperty");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverGetProperty(libraryPropertyType type, int *value)
     * }
     */
    public static int cusolverGetProperty(int type, MemorySegment value) {
        var mh$ = cusolverGetProperty.HANDLE;
        try {
            return (int) mh$.invokeExact(type, value);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnCreate {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnCreate");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnCreate(cusolverDnHandle_t *handle)
     * }
     */
    public static int cusolverDnCreate(MemorySegment handle) {
        var mh$ = cusolverDnCreate.HANDLE;
        try {
            return (int) mh$.invokeExact(handle);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnDestroy {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnDestroy");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnDestroy(cusolverDnHandle_t handle)
     * }
     */
    public static int cusolverDnDestroy(MemorySegment handle) {
        var mh$ = cusolverDnDestroy.HANDLE;
        try {
            return (int) mh$.invokeExact(handle);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnSetStream {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnSetStream");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnSetStream(cusolverDnHandle_t handle, cudaStream_t streamId)
     * }
     */
    public static int cusolverDnSetStream(MemorySegment handle, MemorySegment streamId) {
        var mh$ = cusolverDnSetStream.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, streamId);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnSgeqrf_bufferSize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnSgeqrf_bufferSize");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnSgeqrf_bufferSize(cusolverDnHandle_t handle, int m, int n, float *A, int lda, int *Lwork)
     * }
     */
    public static int cusolverDnSgeqrf_bufferSize(MemorySegment handle, int m, int n, MemorySegment A, int lda, MemorySegment Lwork) {
        var mh$ = cusolverDnSgeqrf_bufferSize.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, m, n, A, lda, Lwork);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnDgeqrf_bufferSize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnDgeqrf_bufferSize");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnDgeqrf_bufferSize(cusolverDnHandle_t handle, int m, int n, double *A, int lda, int *Lwork)
     * }
     */
    public static int cusolverDnDgeqrf_bufferSize(MemorySegment handle, int m, int n, MemorySegment A, int lda, MemorySegment Lwork) {
        var mh$ = cusolverDnDgeqrf_bufferSize.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, m, n, A, lda, Lwork);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnSgeqrf {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnSgeqrf");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnSgeqrf(cusolverDnHandle_t handle, int m, int n, float *A, int lda, float *TAU, float *Workspace, int Lwork, int *devInfo)
     * }
     */
    public static int cusolverDnSgeqrf(MemorySegment handle, int m, int n, MemorySegment A, int lda, MemorySegment TAU, MemorySegment Workspace, int Lwork, MemorySegment devInfo) {
        var mh$ = cusolverDnSgeqrf.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, m, n, A, lda, TAU, Workspace, Lwork, devInfo);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnDgeqrf {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnDgeqrf");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnDgeqrf(cusolverDnHandle_t handle, int m, int n, double *A, int lda, double *TAU, double *Workspace, int Lwork, int *devInfo)
     * }
     */
    public static int cusolverDnDgeqrf(MemorySegment handle, int m, int n, MemorySegment A, int lda, MemorySegment TAU, MemorySegment Workspace, int Lwork, MemorySegment devInfo) {
        var mh$ = cusolverDnDgeqrf.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, m, n, A, lda, TAU, Workspace, Lwork, devInfo);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnSormqr_bufferSize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnSormqr_bufferSize");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnSormqr_bufferSize(cusolverDnHandle_t handle, cublasSideMode_t side, cublasOperation_t trans, int m, int n, int k, const float *A, int lda, const float *tau, const float *C, int ldc, int *lwork)
     * }
     */
    public static int cusolverDnSormqr_bufferSize(MemorySegment handle, int side, int trans, int m, int n, int k, MemorySegment A, int lda, MemorySegment tau, MemorySegment C, int ldc, MemorySegment lwork) {
        var mh$ = cusolverDnSormqr_bufferSize.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, side, trans, m, n, k, A, lda, tau, C, ldc, lwork);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnDormqr_bufferSize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnDormqr_bufferSize");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnDormqr_bufferSize(cusolverDnHandle_t handle, cublasSideMode_t side, cublasOperation_t trans, int m, int n, int k, const double *A, int lda, const double *tau, const double *C, int ldc, int *lwork)
     * }
     */
    public static int cusolverDnDormqr_bufferSize(MemorySegment handle, int side, int trans, int m, int n, int k, MemorySegment A, int lda, MemorySegment tau, MemorySegment C, int ldc, MemorySegment lwork) {
        var mh$ = cusolverDnDormqr_bufferSize.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, side, trans, m, n, k, A, lda, tau, C, ldc, lwork);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnSormqr {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnSormqr");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnSormqr(cusolverDnHandle_t handle, cublasSideMode_t side, cublasOperation_t trans, int m, int n, int k, const float *A, int lda, const float *tau, float *C, int ldc, float *work, int lwork, int *devInfo)
     * }
     */
    public static int cusolverDnSormqr(MemorySegment handle, int side, int trans, int m, int n, int k, MemorySegment A, int lda, MemorySegment tau, MemorySegment C, int ldc, MemorySegment work, int lwork, MemorySegment devInfo) {
        var mh$ = cusolverDnSormqr.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, side, trans, m, n, k, A, lda, tau, C, ldc, work, lwork, devInfo);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnDormqr {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnDormqr");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnDormqr(cusolverDnHandle_t handle, cublasSideMode_t side, cublasOperation_t trans, int m, int n, int k, const double *A, int lda, const double *tau, double *C, int ldc, double *work, int lwork, int *devInfo)
     * }
     */
    public static int cusolverDnDormqr(MemorySegment handle, int side, int trans, int m, int n, int k, MemorySegment A, int lda, MemorySegment tau, MemorySegment C, int ldc, MemorySegment work, int lwork, MemorySegment devInfo) {
        var mh$ = cusolverDnDormqr.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, side, trans, m, n, k, A, lda, tau, C, ldc, work, lwork, devInfo);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnSpotrf_bufferSize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnSpotrf_bufferSize");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnSpotrf_bufferSize(cusolverDnHandle_t handle, cublasFillMode_t uplo, int n, float *A, int lda, int *Lwork)
     * }
     */
    public static int cusolverDnSpotrf_bufferSize(MemorySegment handle, int uplo, int n, MemorySegment A, int lda, MemorySegment Lwork) {
        var mh$ = cusolverDnSpotrf_bufferSize.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, uplo, n, A, lda, Lwork);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnDpotrf_bufferSize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnDpotrf_bufferSize");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnDpotrf_bufferSize(cusolverDnHandle_t handle, cublasFillMode_t uplo, int n, double *A, int lda, int *Lwork)
     * }
     */
    public static int cusolverDnDpotrf_bufferSize(MemorySegment handle, int uplo, int n, MemorySegment A, int lda, MemorySegment Lwork) {
        var mh$ = cusolverDnDpotrf_bufferSize.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, uplo, n, A, lda, Lwork);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnSpotrf {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnSpotrf");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnSpotrf(cusolverDnHandle_t handle, cublasFillMode_t uplo, int n, float *A, int lda, float *Workspace, int Lwork, int *devInfo)
     * }
     */
    public static int cusolverDnSpotrf(MemorySegment handle, int uplo, int n, MemorySegment A, int lda, MemorySegment Workspace, int Lwork, MemorySegment devInfo) {
        var mh$ = cusolverDnSpotrf.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, uplo, n, A, lda, Workspace, Lwork, devInfo);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnDpotrf {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnDpotrf");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnDpotrf(cusolverDnHandle_t handle, cublasFillMode_t uplo, int n, double *A, int lda, double *Workspace, int Lwork, int *devInfo)
     * }
     */
    public static int cusolverDnDpotrf(MemorySegment handle, int uplo, int n, MemorySegment A, int lda, MemorySegment Workspace, int Lwork, MemorySegment devInfo) {
        var mh$ = cusolverDnDpotrf.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, uplo, n, A, lda, Workspace, Lwork, devInfo);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnSpotrs {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnSpotrs");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnSpotrs(cusolverDnHandle_t handle, cublasFillMode_t uplo, int n, int nrhs, const float *A, int lda, float *B, int ldb, int *devInfo)
     * }
     */
    public static int cusolverDnSpotrs(MemorySegment handle, int uplo, int n, int nrhs, MemorySegment A, int lda, MemorySegment B, int ldb, MemorySegment devInfo) {
        var mh$ = cusolverDnSpotrs.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, uplo, n, nrhs, A, lda, B, ldb, devInfo);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnDpotrs {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnDpotrs");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnDpotrs(cusolverDnHandle_t handle, cublasFillMode_t uplo, int n, int nrhs, const double *A, int lda, double *B, int ldb, int *devInfo)
     * }
     */
    public static int cusolverDnDpotrs(MemorySegment handle, int uplo, int n, int nrhs, MemorySegment A, int lda, MemorySegment B, int ldb, MemorySegment devInfo) {
        var mh$ = cusolverDnDpotrs.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, uplo, n, nrhs, A, lda, B, ldb, devInfo);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnSgesvd_bufferSize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnSgesvd_bufferSize");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnSgesvd_bufferSize(cusolverDnHandle_t handle, int m, int n, int *lwork)
     * }
     */
    public static int cusolverDnSgesvd_bufferSize(MemorySegment handle, int m, int n, MemorySegment lwork) {
        var mh$ = cusolverDnSgesvd_bufferSize.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, m, n, lwork);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnDgesvd_bufferSize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnDgesvd_bufferSize");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnDgesvd_bufferSize(cusolverDnHandle_t handle, int m, int n, int *lwork)
     * }
     */
    public static int cusolverDnDgesvd_bufferSize(MemorySegment handle, int m, int n, MemorySegment lwork) {
        var mh$ = cusolverDnDgesvd_bufferSize.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, m, n, lwork);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnSgesvd {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_CHAR, C_CHAR, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnSgesvd");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnSgesvd(cusolverDnHandle_t handle, signed char jobu, signed char jobvt, int m, int n, float *A, int lda, float *S, float *U, int ldu, float *VT, int ldvt, float *work, int lwork, float *rwork, int *info)
     * }
     */
    public static int cusolverDnSgesvd(MemorySegment handle, byte jobu, byte jobvt, int m, int n, MemorySegment A, int lda, MemorySegment S, MemorySegment U, int ldu, MemorySegment VT, int ldvt, MemorySegment work, int lwork, MemorySegment rwork, MemorySegment info) {
        var mh$ = cusolverDnSgesvd.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, jobu, jobvt, m, n, A, lda, S, U, ldu, VT, ldvt, work, lwork, rwork, info);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnDgesvd {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_CHAR, C_CHAR, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnDgesvd");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnDgesvd(cusolverDnHandle_t handle, signed char jobu, signed char jobvt, int m, int n, double *A, int lda, double *S, double *U, int ldu, double *VT, int ldvt, double *work, int lwork, double *rwork, int *info)
     * }
     */
    public static int cusolverDnDgesvd(MemorySegment handle, byte jobu, byte jobvt, int m, int n, MemorySegment A, int lda, MemorySegment S, MemorySegment U, int ldu, MemorySegment VT, int ldvt, MemorySegment work, int lwork, MemorySegment rwork, MemorySegment info) {
        var mh$ = cusolverDnDgesvd.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, jobu, jobvt, m, n, A, lda, S, U, ldu, VT, ldvt, work, lwork, rwork, info);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnCreateGesvdjInfo {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnCreateGesvdjInfo");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnCreateGesvdjInfo(gesvdjInfo_t *info)
     * }
     */
    public static int cusolverDnCreateGesvdjInfo(MemorySegment info) {
        var mh$ = cusolverDnCreateGesvdjInfo.HANDLE;
        try {
            return (int) mh$.invokeExact(info);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnDestroyGesvdjInfo {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnDestroyGesvdjInfo");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnDestroyGesvdjInfo(gesvdjInfo_t info)
     * }
     */
    public static int cusolverDnDestroyGesvdjInfo(MemorySegment info) {
        var mh$ = cusolverDnDestroyGesvdjInfo.HANDLE;
        try {
            return (int) mh$.invokeExact(info);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnSgesvdj_bufferSize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnSgesvdj_bufferSize");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnSgesvdj_bufferSize(cusolverDnHandle_t handle, cusolverEigMode_t jobz, int econ, int m, int n, const float *A, int lda, const float *S, const float *U, int ldu, const float *V, int ldv, int *lwork, gesvdjInfo_t params)
     * }
     */
    public static int cusolverDnSgesvdj_bufferSize(MemorySegment handle, int jobz, int econ, int m, int n, MemorySegment A, int lda, MemorySegment S, MemorySegment U, int ldu, MemorySegment V, int ldv, MemorySegment lwork, MemorySegment params) {
        var mh$ = cusolverDnSgesvdj_bufferSize.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, jobz, econ, m, n, A, lda, S, U, ldu, V, ldv, lwork, params);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnDgesvdj_bufferSize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnDgesvdj_bufferSize");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnDgesvdj_bufferSize(cusolverDnHandle_t handle, cusolverEigMode_t jobz, int econ, int m, int n, const double *A, int lda, const double *S, const double *U, int ldu, const double *V, int ldv, int *lwork, gesvdjInfo_t params)
     * }
     */
    public static int cusolverDnDgesvdj_bufferSize(MemorySegment handle, int jobz, int econ, int m, int n, MemorySegment A, int lda, MemorySegment S, MemorySegment U, int ldu, MemorySegment V, int ldv, MemorySegment lwork, MemorySegment params) {
        var mh$ = cusolverDnDgesvdj_bufferSize.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, jobz, econ, m, n, A, lda, S, U, ldu, V, ldv, lwork, params);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnSgesvdj {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnSgesvdj");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnSgesvdj(cusolverDnHandle_t handle, cusolverEigMode_t jobz, int econ, int m, int n, float *A, int lda, float *S, float *U, int ldu, float *V, int ldv, float *work, int lwork, int *info, gesvdjInfo_t params)
     * }
     */
    public static int cusolverDnSgesvdj(MemorySegment handle, int jobz, int econ, int m, int n, MemorySegment A, int lda, MemorySegment S, MemorySegment U, int ldu, MemorySegment V, int ldv, MemorySegment work, int lwork, MemorySegment info, MemorySegment params) {
        var mh$ = cusolverDnSgesvdj.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, jobz, econ, m, n, A, lda, S, U, ldu, V, ldv, work, lwork, info, params);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnDgesvdj {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnDgesvdj");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnDgesvdj(cusolverDnHandle_t handle, cusolverEigMode_t jobz, int econ, int m, int n, double *A, int lda, double *S, double *U, int ldu, double *V, int ldv, double *work, int lwork, int *info, gesvdjInfo_t params)
     * }
     */
    public static int cusolverDnDgesvdj(MemorySegment handle, int jobz, int econ, int m, int n, MemorySegment A, int lda, MemorySegment S, MemorySegment U, int ldu, MemorySegment V, int ldv, MemorySegment work, int lwork, MemorySegment info, MemorySegment params) {
        var mh$ = cusolverDnDgesvdj.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, jobz, econ, m, n, A, lda, S, U, ldu, V, ldv, work, lwork, info, params);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnSsyevd_bufferSize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnSsyevd_bufferSize");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnSsyevd_bufferSize(cusolverDnHandle_t handle, cusolverEigMode_t jobz, cublasFillMode_t uplo, int n, const float *A, int lda, const float *W, int *lwork)
     * }
     */
    public static int cusolverDnSsyevd_bufferSize(MemorySegment handle, int jobz, int uplo, int n, MemorySegment A, int lda, MemorySegment W, MemorySegment lwork) {
        var mh$ = cusolverDnSsyevd_bufferSize.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, jobz, uplo, n, A, lda, W, lwork);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnDsyevd_bufferSize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnDsyevd_bufferSize");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnDsyevd_bufferSize(cusolverDnHandle_t handle, cusolverEigMode_t jobz, cublasFillMode_t uplo, int n, const double *A, int lda, const double *W, int *lwork)
     * }
     */
    public static int cusolverDnDsyevd_bufferSize(MemorySegment handle, int jobz, int uplo, int n, MemorySegment A, int lda, MemorySegment W, MemorySegment lwork) {
        var mh$ = cusolverDnDsyevd_bufferSize.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, jobz, uplo, n, A, lda, W, lwork);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnSsyevd {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnSsyevd");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnSsyevd(cusolverDnHandle_t handle, cusolverEigMode_t jobz, cublasFillMode_t uplo, int n, float *A, int lda, float *W, float *work, int lwork, int *info)
     * }
     */
    public static int cusolverDnSsyevd(MemorySegment handle, int jobz, int uplo, int n, MemorySegment A, int lda, MemorySegment W, MemorySegment work, int lwork, MemorySegment info) {
        var mh$ = cusolverDnSsyevd.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, jobz, uplo, n, A, lda, W, work, lwork, info);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cusolverDnDsyevd {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cusolver, DESC, "cusolverDnDsyevd");
    }

    /**
     * {@snippet lang=c :
     * cusolverStatus_t cusolverDnDsyevd(cusolverDnHandle_t handle, cusolverEigMode_t jobz, cublasFillMode_t uplo, int n, double *A, int lda, double *W, double *work, int lwork, int *info)
     * }
     */
    public static int cusolverDnDsyevd(MemorySegment handle, int jobz, int uplo, int n, MemorySegment A, int lda, MemorySegment W, MemorySegment work, int lwork, MemorySegment info) {
        var mh$ = cusolverDnDsyevd.HANDLE;
        try {
            return (int) mh$.invokeExact(handle, jobz, uplo, n, A, lda, W, work, lwork, info);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

}
