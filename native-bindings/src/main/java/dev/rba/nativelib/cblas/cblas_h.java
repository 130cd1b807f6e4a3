package dev.rba.nativelib.cblas;

import static dev.rba.nativelib.CLayouts.*;

import dev.rba.nativelib.Downcalls;
import dev.rba.nativelib.NativeLibraries;
import dev.rba.nativelib.NativeLibrary;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Bindings for OpenBLAS {@code cblas.h}: CBLAS level-2/3 routines used by rba and OpenBLAS thread/config queries.
 * <p>Hand-written in jextract's shape: one static method per C function, C names and parameter names kept, each over a
 * downcall handle created on first use and cached in a holder class of the same name. Pointers and handles are
 * MemorySegment, C int/enum are int, size_t is long, char is byte. The list of functions lives in
 * {@code dev/rba/nativelib/bindings.txt}; BindingsListTest keeps the two in step.
 */
@SuppressWarnings({"unused", "checkstyle:MethodName", "checkstyle:TypeName"})
public final class cblas_h {
    private cblas_h() {
    }

    /** The library these symbols come from (loads it on first call; throws NativeLibraryUnavailableException). */
    public static NativeLibrary library() {
        return NativeLibraries.openblas();
    }

    // enum CBLAS_ORDER
    public static final int CblasRowMajor = 101;
    public static final int CblasColMajor = 102;
    // enum CBLAS_TRANSPOSE
    public static final int CblasNoTrans = 111;
    public static final int CblasTrans = 112;
    public static final int CblasConjTrans = 113;
    // enum CBLAS_UPLO
    public static final int CblasUpper = 121;
    public static final int CblasLower = 122;
    // enum CBLAS_DIAG
    public static final int CblasNonUnit = 131;
    public static final int CblasUnit = 132;
    // enum CBLAS_SIDE
    public static final int CblasLeft = 141;
    public static final int CblasRight = 142;

    private static final class cblas_sgemm {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(C_INT, C_INT, C_INT, C_INT, C_INT, C_INT, C_FLOAT, C_POINTER, C_INT, C_POINTER, C_INT, C_FLOAT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::openblas, DESC, "cblas_sgemm");
    }

    /**
     * {@snippet lang=c :
     * void cblas_sgemm(enum CBLAS_ORDER Order, enum CBLAS_TRANSPOSE TransA, enum CBLAS_TRANSPOSE TransB, blasint M, blasint N, blasint K, float alpha, const float *A, blasint lda, const float *B, blasint ldb, float beta, float *C, blasint ldc)
     * }
     */
    public static void cblas_sgemm(int Order, int TransA, int TransB, int M, int N, int K, float alpha, MemorySegment A, int lda, MemorySegment B, int ldb, float beta, MemorySegment C, int ldc) {
        var mh$ = cblas_sgemm.HANDLE;
        try {
            mh$.invokeExact(Order, TransA, TransB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cblas_dgemm {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(C_INT, C_INT, C_INT, C_INT, C_INT, C_INT, C_DOUBLE, C_POINTER, C_INT, C_POINTER, C_INT, C_DOUBLE, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::openblas, DESC, "cblas_dgemm");
    }

    /**
     * {@snippet lang=c :
     * void cblas_dgemm(enum CBLAS_ORDER Order, enum CBLAS_TRANSPOSE TransA, enum CBLAS_TRANSPOSE TransB, blasint M, blasint N, blasint K, double alpha, const double *A, blasint lda, const double *B, blasint ldb, double beta, double *C, blasint ldc)
     * }
     */
    public static void cblas_dgemm(int Order, int TransA, int TransB, int M, int N, int K, double alpha, MemorySegment A, int lda, MemorySegment B, int ldb, double beta, MemorySegment C, int ldc) {
        var mh$ = cblas_dgemm.HANDLE;
        try {
            mh$.invokeExact(Order, TransA, TransB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cblas_ssyrk {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(C_INT, C_INT, C_INT, C_INT, C_INT, C_FLOAT, C_POINTER, C_INT, C_FLOAT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::openblas, DESC, "cblas_ssyrk");
    }

    /**
     * {@snippet lang=c :
     * void cblas_ssyrk(enum CBLAS_ORDER Order, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE Trans, blasint N, blasint K, float alpha, const float *A, blasint lda, float beta, float *C, blasint ldc)
     * }
     */
    public static void cblas_ssyrk(int Order, int Uplo, int Trans, int N, int K, float alpha, MemorySegment A, int lda, float beta, MemorySegment C, int ldc) {
        var mh$ = cblas_ssyrk.HANDLE;
        try {
            mh$.invokeExact(Order, Uplo, Trans, N, K, alpha, A, lda, beta, C, ldc);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cblas_dsyrk {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(C_INT, C_INT, C_INT, C_INT, C_INT, C_DOUBLE, C_POINTER, C_INT, C_DOUBLE, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::openblas, DESC, "cblas_dsyrk");
    }

    /**
     * {@snippet lang=c :
     * void cblas_dsyrk(enum CBLAS_ORDER Order, enum CBLAS_UPLO Uplo, enum CBLAS_TRANSPOSE Trans, blasint N, blasint K, double alpha, const double *A, blasint lda, double beta, double *C, blasint ldc)
     * }
     */
    public static void cblas_dsyrk(int Order, int Uplo, int Trans, int N, int K, double alpha, MemorySegment A, int lda, double beta, MemorySegment C, int ldc) {
        var mh$ = cblas_dsyrk.HANDLE;
        try {
            mh$.invokeExact(Order, Uplo, Trans, N, K, alpha, A, lda, beta, C, ldc);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cblas_sgemv {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(C_INT, C_INT, C_INT, C_INT, C_FLOAT, C_POINTER, C_INT, C_POINTER, C_INT, C_FLOAT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::openblas, DESC, "cblas_sgemv");
    }

    /**
     * {@snippet lang=c :
     * void cblas_sgemv(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE trans, blasint m, blasint n, float alpha, const float *a, blasint lda, const float *x, blasint incx, float beta, float *y, blasint incy)
     * }
     */
    public static void cblas_sgemv(int order, int trans, int m, int n, float alpha, MemorySegment a, int lda, MemorySegment x, int incx, float beta, MemorySegment y, int incy) {
        var mh$ = cblas_sgemv.HANDLE;
        try {
            mh$.invokeExact(order, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cblas_dgemv {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(C_INT, C_INT, C_INT, C_INT, C_DOUBLE, C_POINTER, C_INT, C_POINTER, C_INT, C_DOUBLE, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::openblas, DESC, "cblas_dgemv");
    }

    /**
     * {@snippet lang=c :
     * void cblas_dgemv(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE trans, blasint m, blasint n, double alpha, const double *a, blasint lda, const double *x, blasint incx, double beta, double *y, blasint incy)
     * }
     */
    public static void cblas_dgemv(int order, int trans, int m, int n, double alpha, MemorySegment a, int lda, MemorySegment x, int incx, double beta, MemorySegment y, int incy) {
        var mh$ = cblas_dgemv.HANDLE;
        try {
            mh$.invokeExact(order, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class openblas_get_config {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::openblas, DESC, "openblas_get_config");
    }

    /**
     * {@snippet lang=c :
     * char *openblas_get_config(void)
     * }
     */
    public static MemorySegment openblas_get_config() {
        var mh$ = openblas_get_config.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class openblas_get_corename {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::openblas, DESC, "openblas_get_corename");
    }

    /**
     * {@snippet lang=c :
     * char *openblas_get_corename(void)
     * }
     */
    public static MemorySegment openblas_get_corename() {
        var mh$ = openblas_get_corename.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class openblas_get_num_threads {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::openblas, DESC, "openblas_get_num_threads", Linker.Option.critical(false));
    }

    /**
     * {@snippet lang=c :
     * int openblas_get_num_threads(void)
     * }
     */
    public static int openblas_get_num_threads() {
        var mh$ = openblas_get_num_threads.HANDLE;
        try {
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class openblas_set_num_threads {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::openblas, DESC, "openblas_set_num_threads");
    }

    /**
     * {@snippet lang=c :
     * void openblas_set_num_threads(int num_threads)
     * }
     */
    public static void openblas_set_num_threads(int num_threads) {
        var mh$ = openblas_set_num_threads.HANDLE;
        try {
            mh$.invokeExact(num_threads);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

}
