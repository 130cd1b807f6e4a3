package dev.rba.nativelib.cuda;

import static dev.rba.nativelib.TestMatrices.columnMajorGemm;
import static dev.rba.nativelib.TestMatrices.toDouble;
import static dev.rba.nativelib.TestMatrices.toFloat;
import static dev.rba.nativelib.TestMatrices.uniform;
import static dev.rba.nativelib.cublas.cublas_api_h.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rba.nativelib.CublasStatus;
import dev.rba.nativelib.NativeCallException;
import dev.rba.nativelib.NativeLibraries;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** cuBLAS against naive column-major loops; skipped without libcublas or a GPU. */
class CublasTest extends LibraryHandleTest {
    private final Random random = new Random(7);

    CublasTest() {
        super(NativeLibraries::cublas, slot -> CublasStatus.check("cublasCreate_v2", cublasCreate_v2(slot)),
                h -> CublasStatus.check("cublasDestroy_v2", cublasDestroy_v2(h)));
    }

    double[] randoms(int n) {
        return uniform(random, n);
    }

    @Test
    void versionAgreesWithLibraryProperty() {
        MemorySegment version = gpu.arena.allocate(ValueLayout.JAVA_INT);
        CublasStatus.check("cublasGetVersion_v2", cublasGetVersion_v2(handle, version));
        MemorySegment major = gpu.arena.allocate(ValueLayout.JAVA_INT);
        CublasStatus.check("cublasGetProperty", cublasGetProperty(MAJOR_VERSION, major));
        System.out.println("cuBLAS version " + version.get(ValueLayout.JAVA_INT, 0) + " from " + NativeLibraries.cublas());
        assertTrue(major.get(ValueLayout.JAVA_INT, 0) >= 11);
        // cublasGetVersion encodes major * 10000 + minor * 100 + patch (e.g. 130100) in 12/13; major*1000+... in 11
        assertTrue(version.get(ValueLayout.JAVA_INT, 0) >= major.get(ValueLayout.JAVA_INT, 0) * 1000);
    }

    @Test
    void sgemmAndDgemmWithTransposesMatchNaive() {
        int m = 33, n = 17, k = 41;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                double[] a = randoms(m * k);
                double[] b = randoms(k * n);
                double[] expected = columnMajorGemm(a, ta, b, tb, m, n, k);
                MemorySegment dA = gpu.upload(toFloat(a));
                MemorySegment dB = gpu.upload(toFloat(b));
                MemorySegment dC = gpu.malloc((long) m * n * 4);
                CublasStatus.check("cublasSgemm_v2", cublasSgemm_v2(handle, ta ? CUBLAS_OP_T : CUBLAS_OP_N, tb ? CUBLAS_OP_T : CUBLAS_OP_N, m, n, k,
                        gpu.hostFloat(1f), dA, ta ? k : m, dB, tb ? n : k, gpu.hostFloat(0f), dC, m));
                float[] c = gpu.downloadFloats(dC, m * n);
                for (int i = 0; i < m * n; i++) {
                    assertEquals(expected[i], c[i], 1e-4, "sgemm ta=" + ta + " tb=" + tb + " at " + i);
                }
                MemorySegment dAd = gpu.upload(a);
                MemorySegment dBd = gpu.upload(b);
                MemorySegment dCd = gpu.malloc((long) m * n * 8);
                CublasStatus.check("cublasDgemm_v2", cublasDgemm_v2(handle, ta ? CUBLAS_OP_T : CUBLAS_OP_N, tb ? CUBLAS_OP_T : CUBLAS_OP_N, m, n, k,
                        gpu.hostDouble(1), dAd, ta ? k : m, dBd, tb ? n : k, gpu.hostDouble(0), dCd, m));
                double[] cd = gpu.downloadDoubles(dCd, m * n);
                for (int i = 0; i < m * n; i++) {
                    assertEquals(expected[i], cd[i], 1e-12, "dgemm at " + i);
                }
            }
        }
    }

    @Test
    void gemmExInFp32PedanticAndTf32MatchNaive() {
        int m = 64, n = 48, k = 96;
        double[] a = randoms(m * k);
        double[] b = randoms(k * n);
        double[] expected = columnMajorGemm(toDouble(toFloat(a)), false, toDouble(toFloat(b)), false, m, n, k);
        MemorySegment dA = gpu.upload(toFloat(a));
        MemorySegment dB = gpu.upload(toFloat(b));
        MemorySegment dC = gpu.malloc((long) m * n * 4);
        CublasStatus.check("cublasSetMathMode", cublasSetMathMode(handle, CUBLAS_PEDANTIC_MATH));
        CublasStatus.check("cublasGemmEx", cublasGemmEx(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, gpu.hostFloat(1f), dA, CUDA_R_32F, m,
                dB, CUDA_R_32F, k, gpu.hostFloat(0f), dC, CUDA_R_32F, m, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
        float[] c = gpu.downloadFloats(dC, m * n);
        for (int i = 0; i < m * n; i++) {
            assertEquals(expected[i], c[i], 1e-4, "fp32 at " + i);
        }
        CublasStatus.check("cublasSetMathMode", cublasSetMathMode(handle, CUBLAS_TF32_TENSOR_OP_MATH));
        CublasStatus.check("cublasGemmEx", cublasGemmEx(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, gpu.hostFloat(1f), dA, CUDA_R_32F, m,
                dB, CUDA_R_32F, k, gpu.hostFloat(0f), dC, CUDA_R_32F, m, CUBLAS_COMPUTE_32F_FAST_TF32, CUBLAS_GEMM_DEFAULT));
        c = gpu.downloadFloats(dC, m * n);
        double maxError = 0;
        for (int i = 0; i < m * n; i++) {
            maxError = Math.max(maxError, Math.abs(expected[i] - c[i]));
        }
        // TF32 keeps 10 mantissa bits: |error| ≲ k · 2^-10 · max|a||b| ≈ 0.1 here; far below a wrong result's O(1)
        assertTrue(maxError < 0.1, "TF32 max error " + maxError);
        CublasStatus.check("cublasSetMathMode", cublasSetMathMode(handle, CUBLAS_DEFAULT_MATH));
    }

    @Test
    void syrkUpperTriangleIsTheGramMatrix() {
        int n = 20, k = 50; // C = A^T A, A k×n column-major: trans = T
        double[] a = randoms(k * n);
        double[] expected = columnMajorGemm(a, true, a, false, n, n, k);
        MemorySegment dA = gpu.upload(toFloat(a));
        MemorySegment dC = gpu.malloc((long) n * n * 4);
        CublasStatus.check("cublasSsyrk_v2", cublasSsyrk_v2(handle, CUBLAS_FILL_MODE_UPPER, CUBLAS_OP_T, n, k, gpu.hostFloat(1f), dA, k, gpu.hostFloat(0f), dC, n));
        float[] c = gpu.downloadFloats(dC, n * n);
        MemorySegment dAd = gpu.upload(a);
        MemorySegment dCd = gpu.malloc((long) n * n * 8);
        CublasStatus.check("cublasDsyrk_v2", cublasDsyrk_v2(handle, CUBLAS_FILL_MODE_UPPER, CUBLAS_OP_T, n, k, gpu.hostDouble(1), dAd, k, gpu.hostDouble(0), dCd, n));
        double[] cd = gpu.downloadDoubles(dCd, n * n);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i <= j; i++) { // upper triangle, column-major
                assertEquals(expected[i + j * n], c[i + j * n], 1e-4);
                assertEquals(expected[i + j * n], cd[i + j * n], 1e-12);
            }
        }
    }

    @Test
    void gemvMatchesNaiveAndStreamCanBeSet() {
        int m = 30, n = 20;
        double[] a = randoms(m * n);
        double[] x = randoms(m);
        double[] expected = columnMajorGemm(a, true, x, false, n, 1, m); // y = A^T x
        MemorySegment streamSlot = gpu.handleSlot();
        dev.rba.nativelib.CudaStatus.check("cudaStreamCreate", cuda_runtime_api_h.cudaStreamCreate(streamSlot));
        MemorySegment stream = streamSlot.get(ValueLayout.ADDRESS, 0);
        CublasStatus.check("cublasSetStream_v2", cublasSetStream_v2(handle, stream));
        CublasStatus.check("cublasSetPointerMode_v2", cublasSetPointerMode_v2(handle, CUBLAS_POINTER_MODE_HOST));
        MemorySegment dA = gpu.upload(toFloat(a));
        MemorySegment dx = gpu.upload(toFloat(x));
        MemorySegment dy = gpu.malloc(n * 4L);
        CublasStatus.check("cublasSgemv_v2", cublasSgemv_v2(handle, CUBLAS_OP_T, m, n, gpu.hostFloat(1f), dA, m, dx, 1, gpu.hostFloat(0f), dy, 1));
        MemorySegment dAd = gpu.upload(a);
        MemorySegment dxd = gpu.upload(x);
        MemorySegment dyd = gpu.malloc(n * 8L);
        CublasStatus.check("cublasDgemv_v2", cublasDgemv_v2(handle, CUBLAS_OP_T, m, n, gpu.hostDouble(1), dAd, m, dxd, 1, gpu.hostDouble(0), dyd, 1));
        dev.rba.nativelib.CudaStatus.check("cudaStreamSynchronize", cuda_runtime_api_h.cudaStreamSynchronize(stream));
        float[] y = gpu.downloadFloats(dy, n);
        double[] yd = gpu.downloadDoubles(dyd, n);
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], y[i], 1e-4);
            assertEquals(expected[i], yd[i], 1e-12);
        }
        CublasStatus.check("cublasSetStream_v2", cublasSetStream_v2(handle, MemorySegment.NULL));
        dev.rba.nativelib.CudaStatus.check("cudaStreamDestroy", cuda_runtime_api_h.cudaStreamDestroy(stream));
    }

    @Test
    void invalidDimensionIsReportedByName() {
        int rc = cublasSgemm_v2(handle, CUBLAS_OP_N, CUBLAS_OP_N, -1, 1, 1, gpu.hostFloat(1f), MemorySegment.NULL, 1,
                MemorySegment.NULL, 1, gpu.hostFloat(0f), MemorySegment.NULL, 1);
        NativeCallException e = assertThrows(NativeCallException.class, () -> CublasStatus.check("cublasSgemm_v2", rc));
        assertTrue(e.getMessage().startsWith("cublasSgemm_v2 failed: CUBLAS_STATUS_INVALID_VALUE (7)"), e.getMessage());
    }
}
