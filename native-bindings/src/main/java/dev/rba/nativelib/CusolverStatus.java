package dev.rba.nativelib;

/** cusolverStatus_t and cuSOLVER's devInfo to exceptions. */
public final class CusolverStatus {
    private CusolverStatus() {
    }

    /** Throws {@link NativeCallException} unless {@code rc == CUSOLVER_STATUS_SUCCESS}. */
    public static void check(String functionName, int rc) {
        if (rc != 0) {
            throw new NativeCallException(functionName, rc, name(rc));
        }
    }

    /**
     * Checks a devInfo value after copying it to the host: it follows LAPACK's convention (negative: bad argument,
     * positive: numerical failure such as a matrix that is not positive definite), so it raises the same
     * {@link LapackInfoException} as {@link LapackeStatus#check}.
     */
    public static void checkInfo(String functionName, int info) {
        if (info != 0) {
            throw LapackeStatus.exception(functionName, info);
        }
    }

    public static String name(int rc) {
        return switch (rc) {
            case 0 -> "CUSOLVER_STATUS_SUCCESS";
            case 1 -> "CUSOLVER_STATUS_NOT_INITIALIZED";
            case 2 -> "CUSOLVER_STATUS_ALLOC_FAILED";
            case 3 -> "CUSOLVER_STATUS_INVALID_VALUE";
            case 4 -> "CUSOLVER_STATUS_ARCH_MISMATCH";
            case 5 -> "CUSOLVER_STATUS_MAPPING_ERROR";
            case 6 -> "CUSOLVER_STATUS_EXECUTION_FAILED";
            case 7 -> "CUSOLVER_STATUS_INTERNAL_ERROR";
            case 8 -> "CUSOLVER_STATUS_MATRIX_TYPE_NOT_SUPPORTED";
            case 9 -> "CUSOLVER_STATUS_NOT_SUPPORTED";
            case 10 -> "CUSOLVER_STATUS_ZERO_PIVOT";
            case 11 -> "CUSOLVER_STATUS_INVALID_LICENSE";
            default -> "CUSOLVER_STATUS_UNKNOWN";
        };
    }
}
