package dev.rba.core.linalg.cuda;

import dev.rba.core.linalg.OperandChecks;
import dev.rba.nativelib.CublasStatus;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.rba.nativelib.cublas.cublas_api_h.*;

/**
 * Row-major {@code C[m,n] = A[m,k] B[k,n]} on the GPU from host memory (copies included). Column-major cuBLAS sees
 * the row-major buffers as transposes, so it computes {@code C^T = B^T A^T}: {@code sgemm(N, N, n, m, k, B, n, A, k,
 * C, n)}. With TF32 the same call goes through cublasGemmEx with CUBLAS_COMPUTE_32F_FAST_TF32.
 */
final class CudaSgemm {

    private CudaSgemm() {
    }

    static void sgemm(CudaContext ctx, int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
        ctx.makeCurrent();
        long aBytes = (long) m * k * Float.BYTES;
        long bBytes = (long) k * n * Float.BYTES;
        long cBytes = (long) m * n * Float.BYTES;
        // Plain (pageable) host memory is copied as is: allocating pinned buffers per call would cost more than it
        // saves for a one-off product; heap segments get a native copy because the runtime cannot read the Java heap.
        try (Arena host = Arena.ofConfined(); CudaScope scope = new CudaScope()) {
            MemorySegment hostA = OperandChecks.nativeView(host, a, aBytes);
            MemorySegment hostB = OperandChecks.nativeView(host, b, bBytes);
            MemorySegment hostC = c.isNative() ? c : host.allocate(Math.max(cBytes, 1), 64);
            MemorySegment da = scope.device(aBytes);
            MemorySegment db = scope.device(bBytes);
            MemorySegment dc = scope.device(cBytes);
            CudaCalls.h2d(da, hostA, aBytes, ctx.stream());
            CudaCalls.h2d(db, hostB, bBytes, ctx.stream());
            int ldb = Math.max(n, 1);
            int lda = Math.max(k, 1);
            if (ctx.tf32()) {
                CublasStatus.check("cublasGemmEx", cublasGemmEx(ctx.cublas(), CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, ctx.oneF,
                        db, CUDA_R_32F, ldb, da, CUDA_R_32F, lda, ctx.zeroF, dc, CUDA_R_32F, ldb,
                        CUBLAS_COMPUTE_32F_FAST_TF32, CUBLAS_GEMM_DEFAULT));
            } else {
                CublasStatus.check("cublasSgemm_v2", cublasSgemm_v2(ctx.cublas(), CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, ctx.oneF,
                        db, ldb, da, lda, ctx.zeroF, dc, ldb));
            }
            CudaCalls.d2h(hostC, dc, cBytes, ctx.stream());
            CudaCalls.sync(ctx.stream());
            if (hostC != c) {
                MemorySegment.copy(hostC, 0, c, 0, cBytes);
            }
        }
    }
}
