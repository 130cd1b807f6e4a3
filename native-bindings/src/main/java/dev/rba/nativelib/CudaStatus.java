package dev.rba.nativelib;

import dev.rba.nativelib.cuda.cuda_runtime_api_h;

/** cudaError_t to exceptions; names and descriptions come from the runtime itself (cudaGetErrorName/String). */
public final class CudaStatus {
    private CudaStatus() {
    }

    /** Throws {@link NativeCallException} naming the function, the code and its cudaError name unless {@code rc == 0}. */
    public static void check(String functionName, int rc) {
        if (rc != 0) {
            throw new NativeCallException(functionName, rc, name(rc), description(rc));
        }
    }

    /** The enumerator name, e.g. "cudaErrorMemoryAllocation"; a placeholder if the runtime cannot be asked. */
    public static String name(int rc) {
        try {
            String name = Downcalls.cString(cuda_runtime_api_h.cudaGetErrorName(rc));
            return name != null ? name : "cudaError(" + rc + ")";
        } catch (NativeLibraryUnavailableException e) {
            return "cudaError(" + rc + ")";
        }
    }

    public static String description(int rc) {
        try {
            return Downcalls.cString(cuda_runtime_api_h.cudaGetErrorString(rc));
        } catch (NativeLibraryUnavailableException e) {
            return null;
        }
    }
}
