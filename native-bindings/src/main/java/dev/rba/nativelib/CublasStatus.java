package dev.rba.nativelib;

/** cublasStatus_t to exceptions. */
public final class CublasStatus {
    private CublasStatus() {
    }

    /** Throws {@link NativeCallException} unless {@code rc == CUBLAS_STATUS_SUCCESS}. */
    public static void check(String functionName, int rc) {
        if (rc != 0) {
            throw new NativeCallException(functionName, rc, name(rc), hint(rc));
        }
    }

    public static String name(int rc) {
        return switch (rc) {
            case 0 -> "CUBLAS_STATUS_SUCCESS";
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "CUBLAS_STATUS_UNKNOWN";
        };
    }

    private static String hint(int rc) {
        return switch (rc) {
            case 1 -> "no CUDA context or driver; check that a GPU is visible (nvidia-smi)";
            case 3 -> "GPU memory is exhausted";
            case 7 -> "an argument is out of range (dimensions, leading dimensions, enum values)";
            case 8 -> "the GPU lacks a feature this call needs";
            default -> null;
        };
    }
}
