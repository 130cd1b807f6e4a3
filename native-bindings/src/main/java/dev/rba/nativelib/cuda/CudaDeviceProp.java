package dev.rba.nativelib.cuda;

import dev.rba.nativelib.CudaStatus;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The one field rba reads from {@code struct cudaDeviceProp}: the device name. Hand-written, not generated, because no
 * generated struct is right for every CUDA a user may have: the layout differs between major versions (1,032 bytes in
 * 12.x, 1,008 in 13.0, with fields removed and added), and cudaGetDeviceProperties fills the layout of the runtime that
 * is loaded, not of the headers the bindings came from. {@code char name[256]} at offset 0 is the same in every version,
 * so it is read from a buffer larger than any version's struct.
 */
public final class CudaDeviceProp {
    /** Bytes allocated for the struct: about 1 KB in CUDA 11 to 13, with room for growth. */
    static final long BUFFER_BYTES = 8192;
    static final long NAME_OFFSET = 0;
    static final long NAME_LENGTH = 256;

    private CudaDeviceProp() {
    }

    /** The name of CUDA device {@code device}, e.g. "NVIDIA H200"; throws NativeCallException on a CUDA error. */
    public static String name(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment prop = arena.allocate(BUFFER_BYTES, 16);
            CudaStatus.check("cudaGetDeviceProperties", cuda_runtime_api_h.cudaGetDeviceProperties(prop, device));
            return prop.asSlice(NAME_OFFSET, NAME_LENGTH).getString(0);
        }
    }
}
