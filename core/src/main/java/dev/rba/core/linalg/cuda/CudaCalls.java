package dev.rba.core.linalg.cuda;

import dev.rba.nativelib.CudaStatus;
import dev.rba.nativelib.cuda.CudaDeviceProp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.rba.nativelib.cuda.cuda_runtime_api_h.*;

/**
 * CUDA runtime calls that return a handle or pointer through an out-parameter, wrapped so that callers get the value
 * (or a {@link dev.rba.nativelib.NativeCallException} naming the function and code). The out-parameter lives in a
 * confined arena for the duration of the call only.
 */
public final class CudaCalls {

    private CudaCalls() {
    }

    public static MemorySegment deviceMalloc(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            CudaStatus.check("cudaMalloc", cudaMalloc(out, Math.max(bytes, 4)));
            return out.get(ValueLayout.ADDRESS, 0);
        }
    }

    /** Page-locked host memory of {@code bytes}, as a segment the JVM can read and write. */
    public static MemorySegment hostMalloc(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            CudaStatus.check("cudaMallocHost", cudaMallocHost(out, Math.max(bytes, 4)));
            return out.get(ValueLayout.ADDRESS, 0).reinterpret(Math.max(bytes, 4));
        }
    }

    public static MemorySegment streamCreate() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            CudaStatus.check("cudaStreamCreate", cudaStreamCreate(out));
            return out.get(ValueLayout.ADDRESS, 0);
        }
    }

    public static MemorySegment eventCreate() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            CudaStatus.check("cudaEventCreate", cudaEventCreate(out));
            return out.get(ValueLayout.ADDRESS, 0);
        }
    }

    public static int deviceCount() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_INT);
            CudaStatus.check("cudaGetDeviceCount", cudaGetDeviceCount(out));
            return out.get(ValueLayout.JAVA_INT, 0);
        }
    }

    public static String deviceName(int device) {
        return CudaDeviceProp.name(device);
    }

    /** {free, total} bytes on the current device. */
    public static long[] memoryInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment free = a.allocate(ValueLayout.JAVA_LONG);
            MemorySegment total = a.allocate(ValueLayout.JAVA_LONG);
            CudaStatus.check("cudaMemGetInfo", cudaMemGetInfo(free, total));
            return new long[] {free.get(ValueLayout.JAVA_LONG, 0), total.get(ValueLayout.JAVA_LONG, 0)};
        }
    }

    public static int runtimeVersion() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_INT);
            CudaStatus.check("cudaRuntimeGetVersion", cudaRuntimeGetVersion(out));
            return out.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Milliseconds between two recorded (and completed) events. */
    public static float elapsedMillis(MemorySegment start, MemorySegment end) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_FLOAT);
            CudaStatus.check("cudaEventElapsedTime", cudaEventElapsedTime(out, start, end));
            return out.get(ValueLayout.JAVA_FLOAT, 0);
        }
    }

    public static void h2d(MemorySegment dst, MemorySegment src, long bytes, MemorySegment stream) {
        CudaStatus.check("cudaMemcpyAsync", cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, stream));
    }

    public static void d2h(MemorySegment dst, MemorySegment src, long bytes, MemorySegment stream) {
        CudaStatus.check("cudaMemcpyAsync", cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, stream));
    }

    /** Makes {@code stream} wait (on the GPU, the host goes on) until {@code event} has happened. */
    public static void streamWaitEvent(MemorySegment stream, MemorySegment event) {
        CudaStatus.check("cudaStreamWaitEvent", cudaStreamWaitEvent(stream, event, 0));
    }

    public static void record(MemorySegment event, MemorySegment stream) {
        CudaStatus.check("cudaEventRecord", cudaEventRecord(event, stream));
    }

    public static void eventSync(MemorySegment event) {
        CudaStatus.check("cudaEventSynchronize", cudaEventSynchronize(event));
    }

    public static void sync(MemorySegment stream) {
        CudaStatus.check("cudaStreamSynchronize", cudaStreamSynchronize(stream));
    }
}
