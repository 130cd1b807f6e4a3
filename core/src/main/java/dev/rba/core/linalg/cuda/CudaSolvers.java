package dev.rba.core.linalg.cuda;

import dev.rba.core.linalg.dense.HouseholderQr;
import dev.rba.nativelib.CusolverStatus;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.rba.nativelib.cusolver.cusolverDn_h.*;

/**
 * fp64 solvers on the GPU with cuSOLVER (potrf/potrs, syevd, gesvd, geqrf + ormqr). cuSOLVER is column-major, so
 * row-major inputs are transposed on the host where the shape is not symmetric. The QR's final triangular solve
 * {@code R X = Q^T B} runs on the host: it is O(n^2 nrhs) against the O(m n^2) factorisation, and the bindings
 * carry no cublasDtrsm. Every call allocates its device buffers in a {@link CudaScope} that is closed in finally,
 * and its host buffers in a confined arena of the same lifetime.
 */
final class CudaSolvers {

    private final CudaContext ctx;

    CudaSolvers(CudaContext ctx) {
        this.ctx = ctx;
    }

    private static MemorySegment hostDoubles(Arena arena, double[] values, long count) {
        MemorySegment s = arena.allocate(Math.max(count, 1) * Double.BYTES, 64);
        if (values != null) {
            MemorySegment.copy(values, 0, s, ValueLayout.JAVA_DOUBLE, 0, (int) count);
        }
        return s;
    }

    private MemorySegment upload(CudaScope scope, Arena arena, double[] values, long count) {
        MemorySegment d = scope.device(Math.max(count, 1) * Double.BYTES);
        CudaCalls.h2d(d, hostDoubles(arena, values, count), count * Double.BYTES, ctx.stream());
        return d;
    }

    private double[] download(Arena arena, MemorySegment device, long count) {
        MemorySegment h = arena.allocate(Math.max(count, 1) * Double.BYTES, 64);
        CudaCalls.d2h(h, device, count * Double.BYTES, ctx.stream());
        CudaCalls.sync(ctx.stream());
        double[] out = new double[(int) count];
        MemorySegment.copy(h, ValueLayout.JAVA_DOUBLE, 0, out, 0, (int) count);
        return out;
    }

    private int info(Arena arena, MemorySegment devInfo) {
        MemorySegment h = arena.allocate(ValueLayout.JAVA_INT);
        dev.rba.nativelib.CudaStatus.check("cudaMemcpyAsync", dev.rba.nativelib.cuda.cuda_runtime_api_h.cudaMemcpyAsync(
                h, devInfo, Integer.BYTES, dev.rba.nativelib.cuda.cuda_runtime_api_h.cudaMemcpyDeviceToHost, ctx.stream()));
        CudaCalls.sync(ctx.stream());
        return h.get(ValueLayout.JAVA_INT, 0);
    }

    private static int workspace(Arena arena, java.util.function.ToIntFunction<MemorySegment> query, String function) {
        MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
        CusolverStatus.check(function, query.applyAsInt(out));
        return Math.max(out.get(ValueLayout.JAVA_INT, 0), 1);
    }

    private static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    boolean choleskySolve(int n, int nrhs, double[] a, double[] b) {
        ctx.makeCurrent();
        MemorySegment h = ctx.cusolver();
        try (Arena arena = Arena.ofConfined(); CudaScope scope = new CudaScope()) {
            MemorySegment da = upload(scope, arena, a, (long) n * n); // symmetric: row- and column-major agree
            MemorySegment devInfo = scope.device(Integer.BYTES);
            int lwork = workspace(arena, out -> cusolverDnDpotrf_bufferSize(h, CUBLAS_FILL_MODE_LOWER, n, da, n, out), "cusolverDnDpotrf_bufferSize");
            MemorySegment work = scope.device((long) lwork * Double.BYTES);
            CusolverStatus.check("cusolverDnDpotrf", cusolverDnDpotrf(h, CUBLAS_FILL_MODE_LOWER, n, da, n, work, lwork, devInfo));
            int info = info(arena, devInfo);
            if (info > 0) {
                return false;
            }
            CusolverStatus.checkInfo("cusolverDnDpotrf", info);
            // B row-major [n, nrhs] -> column-major n x nrhs
            MemorySegment db = upload(scope, arena, transpose(b, n, nrhs), (long) n * nrhs);
            CusolverStatus.check("cusolverDnDpotrs", cusolverDnDpotrs(h, CUBLAS_FILL_MODE_LOWER, n, nrhs, da, n, db, n, devInfo));
            CusolverStatus.checkInfo("cusolverDnDpotrs", info(arena, devInfo));
            double[] x = download(arena, db, (long) n * nrhs);
            System.arraycopy(transpose(x, nrhs, n), 0, b, 0, n * nrhs);
            return true;
        }
    }

    double[] symmetricEigen(int n, double[] a, double[] vectors) {
        ctx.makeCurrent();
        MemorySegment h = ctx.cusolver();
        int jobz = vectors == null ? CUSOLVER_EIG_MODE_NOVECTOR : CUSOLVER_EIG_MODE_VECTOR;
        try (Arena arena = Arena.ofConfined(); CudaScope scope = new CudaScope()) {
            MemorySegment da = upload(scope, arena, a, (long) n * n);
            MemorySegment dw = scope.device((long) n * Double.BYTES);
            MemorySegment devInfo = scope.device(Integer.BYTES);
            int lwork = workspace(arena, out -> cusolverDnDsyevd_bufferSize(h, jobz, CUBLAS_FILL_MODE_LOWER, n, da, n, dw, out), "cusolverDnDsyevd_bufferSize");
            MemorySegment work = scope.device((long) lwork * Double.BYTES);
            CusolverStatus.check("cusolverDnDsyevd", cusolverDnDsyevd(h, jobz, CUBLAS_FILL_MODE_LOWER, n, da, n, dw, work, lwork, devInfo));
            CusolverStatus.checkInfo("cusolverDnDsyevd", info(arena, devInfo));
            double[] w = download(arena, dw, n);
            if (vectors != null) {
                // column-major: eigenvector k is column k, element (i,k) at i + k*n; row-major wants it at i*n + k
                double[] v = download(arena, da, (long) n * n);
                System.arraycopy(transpose(v, n, n), 0, vectors, 0, n * n);
            }
            return w;
        }
    }

    /** Thin SVD; cusolverDnDgesvd needs rows >= cols, so a wide A is handled as the SVD of A^T. */
    double[] svd(int m, int n, double[] a, double[] u, double[] vt) {
        ctx.makeCurrent();
        int k = Math.min(m, n);
        boolean tall = m >= n;
        int rows = tall ? m : n;   // the column-major matrix handed to gesvd: A (tall) or A^T (wide)
        int cols = tall ? n : m;
        // column-major A is the row-major transpose; column-major A^T is the row-major A itself
        double[] input = tall ? transpose(a, m, n) : a;
        boolean wantVectors = u != null || vt != null;
        byte job = (byte) (wantVectors ? 'S' : 'N');
        MemorySegment h = ctx.cusolver();
        try (Arena arena = Arena.ofConfined(); CudaScope scope = new CudaScope()) {
            MemorySegment da = upload(scope, arena, input, (long) rows * cols);
            MemorySegment ds = scope.device((long) k * Double.BYTES);
            MemorySegment du = scope.device((long) rows * cols * Double.BYTES);
            MemorySegment dvt = scope.device((long) cols * cols * Double.BYTES);
            MemorySegment rwork = scope.device((long) k * Double.BYTES);
            MemorySegment devInfo = scope.device(Integer.BYTES);
            int lwork = workspace(arena, out -> cusolverDnDgesvd_bufferSize(h, rows, cols, out), "cusolverDnDgesvd_bufferSize");
            MemorySegment work = scope.device((long) lwork * Double.BYTES);
            CusolverStatus.check("cusolverDnDgesvd", cusolverDnDgesvd(h, job, job, rows, cols, da, rows, ds, du, rows, dvt, cols,
                    work, lwork, rwork, devInfo));
            CusolverStatus.checkInfo("cusolverDnDgesvd", info(arena, devInfo));
            double[] s = download(arena, ds, k);
            if (wantVectors) {
                double[] uc = download(arena, du, (long) rows * cols);   // column-major rows x cols, ld = rows
                double[] vtc = download(arena, dvt, (long) cols * cols); // column-major cols x cols, ld = cols
                if (tall) {
                    if (u != null) { // u [m,n]: u[i*n+t] = U(i,t) = uc[i + t*m]
                        System.arraycopy(transpose(uc, n, m), 0, u, 0, m * n);
                    }
                    if (vt != null) { // vt [n,n]: vt[t*n+j] = VT(t,j) = vtc[t + j*n]
                        System.arraycopy(transpose(vtc, n, n), 0, vt, 0, n * n);
                    }
                } else {
                    // A^T = U' S V'^T, so A = V' S U'^T: u = V' [m,m], vt = U'^T [m,n]
                    if (u != null) { // u[i*m+t] = V'(i,t) = V'^T(t,i) = vtc[t + i*m]
                        System.arraycopy(vtc, 0, u, 0, m * m);
                    }
                    if (vt != null) { // vt[t*n+j] = U'(j,t) = uc[j + t*n]
                        System.arraycopy(uc, 0, vt, 0, m * n);
                    }
                }
            }
            return s;
        }
    }

    double[] leastSquares(int m, int n, int nrhs, double[] a, double[] b) {
        ctx.makeCurrent();
        MemorySegment h = ctx.cusolver();
        try (Arena arena = Arena.ofConfined(); CudaScope scope = new CudaScope()) {
            MemorySegment da = upload(scope, arena, transpose(a, m, n), (long) m * n);
            MemorySegment db = upload(scope, arena, transpose(b, m, nrhs), (long) m * nrhs);
            MemorySegment tau = scope.device((long) n * Double.BYTES);
            MemorySegment devInfo = scope.device(Integer.BYTES);
            int lq = workspace(arena, out -> cusolverDnDgeqrf_bufferSize(h, m, n, da, m, out), "cusolverDnDgeqrf_bufferSize");
            int lo = workspace(arena, out -> cusolverDnDormqr_bufferSize(h, CUBLAS_SIDE_LEFT, CUBLAS_OP_T, m, nrhs, n, da, m, tau, db, m, out),
                    "cusolverDnDormqr_bufferSize");
            int lwork = Math.max(lq, lo);
            MemorySegment work = scope.device((long) lwork * Double.BYTES);
            CusolverStatus.check("cusolverDnDgeqrf", cusolverDnDgeqrf(h, m, n, da, m, tau, work, lwork, devInfo));
            CusolverStatus.checkInfo("cusolverDnDgeqrf", info(arena, devInfo));
            CusolverStatus.check("cusolverDnDormqr", cusolverDnDormqr(h, CUBLAS_SIDE_LEFT, CUBLAS_OP_T, m, nrhs, n, da, m, tau, db, m,
                    work, lwork, devInfo));
            CusolverStatus.checkInfo("cusolverDnDormqr", info(arena, devInfo));
            double[] r = download(arena, da, (long) m * n);   // column-major: R(i,j) = r[i + j*m] for i <= j < n
            double[] qtb = download(arena, db, (long) m * nrhs); // column-major: (Q^T B)(i,c) = qtb[i + c*m]
            return backSubstitute(m, n, nrhs, r, qtb);
        }
    }

    /** Solves R X = (Q^T B)[0..n) with the same rank test as the Java backend's QR. */
    static double[] backSubstitute(int m, int n, int nrhs, double[] r, double[] qtb) {
        double maxDiag = 0;
        for (int i = 0; i < n; i++) {
            maxDiag = Math.max(maxDiag, Math.abs(r[i + i * m]));
        }
        double tolerance = maxDiag * Math.max(m, n) * Math.ulp(1.0);
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(r[i + i * m]) > tolerance)) {
                throw HouseholderQr.rankDeficient(i, r[i + i * m], maxDiag);
            }
        }
        double[] x = new double[n * nrhs];
        for (int c = 0; c < nrhs; c++) {
            for (int i = n - 1; i >= 0; i--) {
                double s = qtb[i + c * m];
                for (int j = i + 1; j < n; j++) {
                    s -= r[i + j * m] * x[j * nrhs + c];
                }
                x[i * nrhs + c] = s / r[i + i * m];
            }
        }
        return x;
    }
}
