package dev.rba.nativelib;

/** cublasStatus_t to exceptions. */
public final class CublasStatus {
    private CublasStatus() {
    }

    /** cublasStatus_t values (CUBLAS_STATUS_ + the constant's name) with what to check, where there is advice. */
    private enum Code {
        SUCCESS(0, null),
        NOT_INITIALIZED(1, "no CUDA context or driver; check that a GPU is visible (nvidia-smi)"),
        ALLOC_FAILED(3, "GPU memory is exhausted"),
        INVALID_VALUE(7, "an argument is out of range (dimensions, leading dimensions, enum values)"),
        ARCH_MISMATCH(8, "the GPU lacks a feature this call needs"),
        MAPPING_ERROR(11, null),
        EXECUTION_FAILED(13, null),
        INTERNAL_ERROR(14, null),
        NOT_SUPPORTED(15, null),
        LICENSE_ERROR(16, null);

        final int rc;
        final String hint;

        Code(int rc, String hint) {
            this.rc = rc;
            this.hint = hint;
        }

        static Code of(int rc) {
            for (Code c : values()) {
                if (c.rc == rc) return c;
            }
            return null;
        }
    }

    /** Throws {@link NativeCallException} unless {@code rc == CUBLAS_STATUS_SUCCESS}. */
    public static void check(String functionName, int rc) {
        if (rc != 0) {
            Code c = Code.of(rc);
            throw new NativeCallException(functionName, rc, name(rc), c == null ? null : c.hint);
        }
    }

    public static String name(int rc) {
        Code c = Code.of(rc);
        return "CUBLAS_STATUS_" + (c == null ? "UNKNOWN" : c.name());
    }
}
