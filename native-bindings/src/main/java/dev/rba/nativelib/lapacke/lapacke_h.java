package dev.rba.nativelib.lapacke;

import static dev.rba.nativelib.CLayouts.*;

import dev.rba.nativelib.Downcalls;
import dev.rba.nativelib.NativeLibraries;
import dev.rba.nativelib.NativeLibrary;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Bindings for {@code lapacke.h}: least squares, Cholesky, SVD and symmetric eigen solvers (LAPACKE C interface).
 * The library is the bundled OpenBLAS (LAPACKE built in) or Debian's liblapacke.so.3.
 * <p>Hand-written in jextract's shape: one static method per C function, C names and parameter names kept, each over a
 * downcall handle created on first use and cached in a holder class of the same name. Pointers and handles are
 * MemorySegment, C int/enum are int, size_t is long, char is byte. The list of functions lives in
 * {@code dev/rba/nativelib/bindings.txt}; BindingsListTest keeps the two in step.
 */
@SuppressWarnings({"unused", "checkstyle:MethodName", "checkstyle:TypeName"})
public final class lapacke_h {
    private lapacke_h() {
    }

    /** The library these symbols come from (loads it on first call; throws NativeLibraryUnavailableException). */
    public static NativeLibrary library() {
        return NativeLibraries.lapacke();
    }

    public static final int LAPACK_ROW_MAJOR = 101;
    public static final int LAPACK_COL_MAJOR = 102;
    /** Returned as info when LAPACKE could not allocate its work array. */
    public static final int LAPACK_WORK_MEMORY_ERROR = -1010;
    /** Returned as info when LAPACKE could not allocate the transposed copy for row-major input. */
    public static final int LAPACK_TRANSPOSE_MEMORY_ERROR = -1011;
    // char arguments (trans, uplo, jobz, ...) are ASCII letters passed as byte, e.g. (byte) 'N'.

    private static final class LAPACKE_sgels {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_CHAR, C_INT, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::lapacke, DESC, "LAPACKE_sgels");
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgels(int matrix_layout, char trans, lapack_int m, lapack_int n, lapack_int nrhs, float *a, lapack_int lda, float *b, lapack_int ldb)
     * }
     */
    public static int LAPACKE_sgels(int matrix_layout, byte trans, int m, int n, int nrhs, MemorySegment a, int lda, MemorySegment b, int ldb) {
        var mh$ = LAPACKE_sgels.HANDLE;
        try {
            return (int) mh$.invokeExact(matrix_layout, trans, m, n, nrhs, a, lda, b, ldb);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class LAPACKE_dgels {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_CHAR, C_INT, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::lapacke, DESC, "LAPACKE_dgels");
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgels(int matrix_layout, char trans, lapack_int m, lapack_int n, lapack_int nrhs, double *a, lapack_int lda, double *b, lapack_int ldb)
     * }
     */
    public static int LAPACKE_dgels(int matrix_layout, byte trans, int m, int n, int nrhs, MemorySegment a, int lda, MemorySegment b, int ldb) {
        var mh$ = LAPACKE_dgels.HANDLE;
        try {
            return (int) mh$.invokeExact(matrix_layout, trans, m, n, nrhs, a, lda, b, ldb);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class LAPACKE_spotrf {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_CHAR, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::lapacke, DESC, "LAPACKE_spotrf");
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_spotrf(int matrix_layout, char uplo, lapack_int n, float *a, lapack_int lda)
     * }
     */
    public static int LAPACKE_spotrf(int matrix_layout, byte uplo, int n, MemorySegment a, int lda) {
        var mh$ = LAPACKE_spotrf.HANDLE;
        try {
            return (int) mh$.invokeExact(matrix_layout, uplo, n, a, lda);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class LAPACKE_dpotrf {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_CHAR, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::lapacke, DESC, "LAPACKE_dpotrf");
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_dpotrf(int matrix_layout, char uplo, lapack_int n, double *a, lapack_int lda)
     * }
     */
    public static int LAPACKE_dpotrf(int matrix_layout, byte uplo, int n, MemorySegment a, int lda) {
        var mh$ = LAPACKE_dpotrf.HANDLE;
        try {
            return (int) mh$.invokeExact(matrix_layout, uplo, n, a, lda);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class LAPACKE_spotrs {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_CHAR, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::lapacke, DESC, "LAPACKE_spotrs");
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_spotrs(int matrix_layout, char uplo, lapack_int n, lapack_int nrhs, const float *a, lapack_int lda, float *b, lapack_int ldb)
     * }
     */
    public static int LAPACKE_spotrs(int matrix_layout, byte uplo, int n, int nrhs, MemorySegment a, int lda, MemorySegment b, int ldb) {
        var mh$ = LAPACKE_spotrs.HANDLE;
        try {
            return (int) mh$.invokeExact(matrix_layout, uplo, n, nrhs, a, lda, b, ldb);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class LAPACKE_dpotrs {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_CHAR, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::lapacke, DESC, "LAPACKE_dpotrs");
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_dpotrs(int matrix_layout, char uplo, lapack_int n, lapack_int nrhs, const double *a, lapack_int lda, double *b, lapack_int ldb)
     * }
     */
    public static int LAPACKE_dpotrs(int matrix_layout, byte uplo, int n, int nrhs, MemorySegment a, int lda, MemorySegment b, int ldb) {
        var mh$ = LAPACKE_dpotrs.HANDLE;
        try {
            return (int) mh$.invokeExact(matrix_layout, uplo, n, nrhs, a, lda, b, ldb);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class LAPACKE_sgesdd {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_CHAR, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::lapacke, DESC, "LAPACKE_sgesdd");
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesdd(int matrix_layout, char jobz, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt)
     * }
     */
    public static int LAPACKE_sgesdd(int matrix_layout, byte jobz, int m, int n, MemorySegment a, int lda, MemorySegment s, MemorySegment u, int ldu, MemorySegment vt, int ldvt) {
        var mh$ = LAPACKE_sgesdd.HANDLE;
        try {
            return (int) mh$.invokeExact(matrix_layout, jobz, m, n, a, lda, s, u, ldu, vt, ldvt);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class LAPACKE_dgesdd {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_CHAR, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::lapacke, DESC, "LAPACKE_dgesdd");
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesdd(int matrix_layout, char jobz, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt)
     * }
     */
    public static int LAPACKE_dgesdd(int matrix_layout, byte jobz, int m, int n, MemorySegment a, int lda, MemorySegment s, MemorySegment u, int ldu, MemorySegment vt, int ldvt) {
        var mh$ = LAPACKE_dgesdd.HANDLE;
        try {
            return (int) mh$.invokeExact(matrix_layout, jobz, m, n, a, lda, s, u, ldu, vt, ldvt);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class LAPACKE_sgesvd {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_CHAR, C_CHAR, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::lapacke, DESC, "LAPACKE_sgesvd");
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_sgesvd(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu, float *vt, lapack_int ldvt, float *superb)
     * }
     */
    public static int LAPACKE_sgesvd(int matrix_layout, byte jobu, byte jobvt, int m, int n, MemorySegment a, int lda, MemorySegment s, MemorySegment u, int ldu, MemorySegment vt, int ldvt, MemorySegment superb) {
        var mh$ = LAPACKE_sgesvd.HANDLE;
        try {
            return (int) mh$.invokeExact(matrix_layout, jobu, jobvt, m, n, a, lda, s, u, ldu, vt, ldvt, superb);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class LAPACKE_dgesvd {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_CHAR, C_CHAR, C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::lapacke, DESC, "LAPACKE_dgesvd");
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_dgesvd(int matrix_layout, char jobu, char jobvt, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu, double *vt, lapack_int ldvt, double *superb)
     * }
     */
    public static int LAPACKE_dgesvd(int matrix_layout, byte jobu, byte jobvt, int m, int n, MemorySegment a, int lda, MemorySegment s, MemorySegment u, int ldu, MemorySegment vt, int ldvt, MemorySegment superb) {
        var mh$ = LAPACKE_dgesvd.HANDLE;
        try {
            return (int) mh$.invokeExact(matrix_layout, jobu, jobvt, m, n, a, lda, s, u, ldu, vt, ldvt, superb);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class LAPACKE_ssyevd {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_CHAR, C_CHAR, C_INT, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::lapacke, DESC, "LAPACKE_ssyevd");
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_ssyevd(int matrix_layout, char jobz, char uplo, lapack_int n, float *a, lapack_int lda, float *w)
     * }
     */
    public static int LAPACKE_ssyevd(int matrix_layout, byte jobz, byte uplo, int n, MemorySegment a, int lda, MemorySegment w) {
        var mh$ = LAPACKE_ssyevd.HANDLE;
        try {
            return (int) mh$.invokeExact(matrix_layout, jobz, uplo, n, a, lda, w);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class LAPACKE_dsyevd {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_CHAR, C_CHAR, C_INT, C_POINTER, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::lapacke, DESC, "LAPACKE_dsyevd");
    }

    /**
     * {@snippet lang=c :
     * lapack_int LAPACKE_dsyevd(int matrix_layout, char jobz, char uplo, lapack_int n, double *a, lapack_int lda, double *w)
     * }
     */
    public static int LAPACKE_dsyevd(int matrix_layout, byte jobz, byte uplo, int n, MemorySegment a, int lda, MemorySegment w) {
        var mh$ = LAPACKE_dsyevd.HANDLE;
        try {
            return (int) mh$.invokeExact(matrix_layout, jobz, uplo, n, a, lda, w);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

}
