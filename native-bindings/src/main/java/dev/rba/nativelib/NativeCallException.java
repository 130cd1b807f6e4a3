package dev.rba.nativelib;

/**
 * A native function returned a failure status. The message names the function, the status's C enumerator name where
 * one exists and the raw status, which {@link #code()} returns (cudaError_t, cublasStatus_t, cusolverStatus_t, or a
 * LAPACK {@code info}).
 */
public class NativeCallException extends RuntimeException {
    private final int code;

    public NativeCallException(String functionName, int code, String codeName) {
        this(functionName, code, codeName, null);
    }

    public NativeCallException(String functionName, int code, String codeName, String detail) {
        super(functionName + " failed: " + codeName + " (" + code + ")" + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.code = code;
    }

    public int code() {
        return code;
    }
}
