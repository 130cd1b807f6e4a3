package dev.rba.nativelib;

/**
 * A native function returned a failure status. {@link #code()} is the raw status (cudaError_t, cublasStatus_t,
 * cusolverStatus_t, or a LAPACK {@code info}); {@link #codeName()} is its C enumerator name where one exists.
 */
public class NativeCallException extends RuntimeException {
    private final String functionName;
    private final int code;
    private final String codeName;

    public NativeCallException(String functionName, int code, String codeName) {
        this(functionName, code, codeName, null);
    }

    public NativeCallException(String functionName, int code, String codeName, String detail) {
        super(functionName + " failed: " + codeName + " (" + code + ")" + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.functionName = functionName;
        this.code = code;
        this.codeName = codeName;
    }

    public String functionName() {
        return functionName;
    }

    public int code() {
        return code;
    }

    public String codeName() {
        return codeName;
    }
}
