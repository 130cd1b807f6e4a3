package dev.rba.nativelib.cuda;

import static dev.rba.nativelib.cuda.cuda_runtime_api_h.*;

import dev.rba.nativelib.CudaStatus;
import dev.rba.nativelib.NativeLibraries;
import dev.rba.nativelib.NativeLibraryUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * Test helper: device buffers freed on close, host arrays copied in and out. Owns one confined Arena for the host
 * side of each test, every cudaMalloc it made and the library handles it created.
 */
final class Gpu implements AutoCloseable {
    final Arena arena = Arena.ofConfined();
    private final List<MemorySegment> deviceBuffers = new ArrayList<>();
    private final List<Runnable> handleDestroyers = new ArrayList<>();

    /** A Gpu for a test of {@code library} (e.g. NativeLibraries::cublas); skips the test without it or a device. */
    static Gpu forLibrary(Supplier<?> library) {
        assumeDevice();
        assumeLibrary(library);
        return new Gpu();
    }

    /** Skips the calling test, with the reason printed, unless libcudart loads and sees a device. */
    static void assumeDevice() {
        try {
            NativeLibraries.cudart();
        } catch (NativeLibraryUnavailableException e) {
            skip("libcudart unavailable: " + e.getMessage());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            int rc = cudaGetDeviceCount(count);
            if (rc != cudaSuccess || count.get(ValueLayout.JAVA_INT, 0) == 0) {
                skip("no usable GPU (cudaGetDeviceCount returned " + CudaStatus.name(rc) + ")");
            }
        }
    }

    static void assumeLibrary(Supplier<?> load) {
        try {
            load.get();
        } catch (NativeLibraryUnavailableException e) {
            skip(e.getMessage());
        }
    }

    private static void skip(String reason) {
        System.out.println("CUDA test skipped: " + reason);
        Assumptions.abort("CUDA test skipped: " + reason);
    }

    MemorySegment malloc(long bytes) {
        MemorySegment slot = arena.allocate(ValueLayout.ADDRESS);
        CudaStatus.check("cudaMalloc", cudaMalloc(slot, bytes));
        MemorySegment device = slot.get(ValueLayout.ADDRESS, 0);
        deviceBuffers.add(device);
        return device;
    }

    MemorySegment upload(float[] values) {
        MemorySegment device = malloc(values.length * 4L);
        CudaStatus.check("cudaMemcpy", cudaMemcpy(device, arena.allocateFrom(ValueLayout.JAVA_FLOAT, values), values.length * 4L, cudaMemcpyHostToDevice));
        return device;
    }

    MemorySegment upload(double[] values) {
        MemorySegment device = malloc(values.length * 8L);
        CudaStatus.check("cudaMemcpy", cudaMemcpy(device, arena.allocateFrom(ValueLayout.JAVA_DOUBLE, values), values.length * 8L, cudaMemcpyHostToDevice));
        return device;
    }

    float[] downloadFloats(MemorySegment device, int count) {
        MemorySegment host = arena.allocate(ValueLayout.JAVA_FLOAT, count);
        CudaStatus.check("cudaMemcpy", cudaMemcpy(host, device, count * 4L, cudaMemcpyDeviceToHost));
        return host.toArray(ValueLayout.JAVA_FLOAT);
    }

    double[] downloadDoubles(MemorySegment device, int count) {
        MemorySegment host = arena.allocate(ValueLayout.JAVA_DOUBLE, count);
        CudaStatus.check("cudaMemcpy", cudaMemcpy(host, device, count * 8L, cudaMemcpyDeviceToHost));
        return host.toArray(ValueLayout.JAVA_DOUBLE);
    }

    int downloadInt(MemorySegment device) {
        MemorySegment host = arena.allocate(ValueLayout.JAVA_INT);
        CudaStatus.check("cudaMemcpy", cudaMemcpy(host, device, 4, cudaMemcpyDeviceToHost));
        return host.get(ValueLayout.JAVA_INT, 0);
    }

    MemorySegment hostFloat(float value) {
        return arena.allocateFrom(ValueLayout.JAVA_FLOAT, value);
    }

    MemorySegment hostDouble(double value) {
        return arena.allocateFrom(ValueLayout.JAVA_DOUBLE, value);
    }

    MemorySegment handleSlot() {
        return arena.allocate(ValueLayout.ADDRESS);
    }

    /**
     * A library handle: {@code create} fills the slot it is given (cublasCreate_v2, cusolverDnCreate, its status
     * checked); {@code destroy} is called with the handle on {@link #close}, before the device buffers are freed.
     */
    MemorySegment newHandle(Consumer<MemorySegment> create, Consumer<MemorySegment> destroy) {
        MemorySegment slot = handleSlot();
        create.accept(slot);
        MemorySegment handle = slot.get(ValueLayout.ADDRESS, 0);
        handleDestroyers.add(() -> destroy.accept(handle));
        return handle;
    }

    @Override
    public void close() {
        try {
            for (Runnable destroy : handleDestroyers.reversed()) {
                destroy.run();
            }
        } finally {
            for (MemorySegment device : deviceBuffers) {
                CudaStatus.check("cudaFree", cudaFree(device));
            }
            arena.close();
        }
    }
}
