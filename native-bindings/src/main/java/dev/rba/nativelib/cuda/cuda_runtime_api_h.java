package dev.rba.nativelib.cuda;

import static dev.rba.nativelib.CLayouts.*;

import dev.rba.nativelib.Downcalls;
import dev.rba.nativelib.NativeLibraries;
import dev.rba.nativelib.NativeLibrary;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Bindings for the CUDA runtime {@code cuda_runtime_api.h} (libcudart): devices, memory, copies, streams, events,
 * errors. cudaError_t is int; check it with {@link dev.rba.nativelib.CudaStatus#check}.
 * <p>Hand-written in jextract's shape: one static method per C function, C names and parameter names kept, each over a
 * downcall handle created on first use and cached in a holder class of the same name. Pointers and handles are
 * MemorySegment, C int/enum are int, size_t is long, char is byte. The list of functions lives in
 * {@code dev/rba/nativelib/bindings.txt}; BindingsListTest keeps the two in step.
 */
@SuppressWarnings({"unused", "checkstyle:MethodName", "checkstyle:TypeName"})
public final class cuda_runtime_api_h {
    private cuda_runtime_api_h() {
    }

    /** The library these symbols come from (loads it on first call; throws NativeLibraryUnavailableException). */
    public static NativeLibrary library() {
        return NativeLibraries.cudart();
    }

    // enum cudaError (a selection; cudaGetErrorName gives the name of any code)
    public static final int cudaSuccess = 0;
    public static final int cudaErrorInvalidValue = 1;
    public static final int cudaErrorMemoryAllocation = 2;
    public static final int cudaErrorInitializationError = 3;
    public static final int cudaErrorCudartUnloading = 4;
    public static final int cudaErrorInsufficientDriver = 35;
    public static final int cudaErrorNoDevice = 100;
    public static final int cudaErrorInvalidDevice = 101;
    public static final int cudaErrorNotReady = 600;
    public static final int cudaErrorIllegalAddress = 700;
    public static final int cudaErrorHostMemoryAlreadyRegistered = 712;
    public static final int cudaErrorHostMemoryNotRegistered = 713;
    public static final int cudaErrorUnknown = 999;
    // enum cudaMemcpyKind
    public static final int cudaMemcpyHostToHost = 0;
    public static final int cudaMemcpyHostToDevice = 1;
    public static final int cudaMemcpyDeviceToHost = 2;
    public static final int cudaMemcpyDeviceToDevice = 3;
    public static final int cudaMemcpyDefault = 4;
    // cudaHostRegister flags
    public static final int cudaHostRegisterDefault = 0x00;
    public static final int cudaHostRegisterPortable = 0x01;
    public static final int cudaHostRegisterMapped = 0x02;
    public static final int cudaHostRegisterIoMemory = 0x04;
    public static final int cudaHostRegisterReadOnly = 0x08;
    // enum cudaDeviceAttr (a selection)
    public static final int cudaDevAttrMaxThreadsPerBlock = 1;
    public static final int cudaDevAttrWarpSize = 10;
    public static final int cudaDevAttrMultiProcessorCount = 16;
    public static final int cudaDevAttrPciBusId = 33;
    public static final int cudaDevAttrPciDeviceId = 34;
    public static final int cudaDevAttrComputeCapabilityMajor = 75;
    public static final int cudaDevAttrComputeCapabilityMinor = 76;
    // cudaStream_t: pass MemorySegment.NULL for the default stream (0).

    /**
     * Bytes to allocate for a {@code struct cudaDeviceProp}: the struct is about 1 KB in CUDA 11-13 and its layout
     * changes between major versions, so rba never maps it; it reads only {@code char name[256]} at offset 0, which
     * every version keeps, from a buffer comfortably larger than any version's struct.
     */
    public static final long cudaDeviceProp_BUFFER_BYTES = 8192;
    public static final long cudaDeviceProp_name_OFFSET = 0;
    public static final long cudaDeviceProp_name_LENGTH = 256;

    private static final class cudaRuntimeGetVersion {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaRuntimeGetVersion");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaRuntimeGetVersion(int *runtimeVersion)
     * }
     */
    public static int cudaRuntimeGetVersion(MemorySegment runtimeVersion) {
        var mh$ = cudaRuntimeGetVersion.HANDLE;
        try {
            return (int) mh$.invokeExact(runtimeVersion);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaDriverGetVersion {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaDriverGetVersion");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaDriverGetVersion(int *driverVersion)
     * }
     */
    public static int cudaDriverGetVersion(MemorySegment driverVersion) {
        var mh$ = cudaDriverGetVersion.HANDLE;
        try {
            return (int) mh$.invokeExact(driverVersion);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaGetDeviceCount {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaGetDeviceCount");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaGetDeviceCount(int *count)
     * }
     */
    public static int cudaGetDeviceCount(MemorySegment count) {
        var mh$ = cudaGetDeviceCount.HANDLE;
        try {
            return (int) mh$.invokeExact(count);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaGetDeviceProperties {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, new String[] {"cudaGetDeviceProperties_v2", "cudaGetDeviceProperties"});
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *prop, int device)
     * }
     */
    public static int cudaGetDeviceProperties(MemorySegment prop, int device) {
        var mh$ = cudaGetDeviceProperties.HANDLE;
        try {
            return (int) mh$.invokeExact(prop, device);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaDeviceGetAttribute {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaDeviceGetAttribute", Linker.Option.critical(false));
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device)
     * }
     */
    public static int cudaDeviceGetAttribute(MemorySegment value, int attr, int device) {
        var mh$ = cudaDeviceGetAttribute.HANDLE;
        try {
            return (int) mh$.invokeExact(value, attr, device);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaMemGetInfo {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaMemGetInfo");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaMemGetInfo(size_t *free, size_t *total)
     * }
     */
    public static int cudaMemGetInfo(MemorySegment free, MemorySegment total) {
        var mh$ = cudaMemGetInfo.HANDLE;
        try {
            return (int) mh$.invokeExact(free, total);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaSetDevice {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaSetDevice");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaSetDevice(int device)
     * }
     */
    public static int cudaSetDevice(int device) {
        var mh$ = cudaSetDevice.HANDLE;
        try {
            return (int) mh$.invokeExact(device);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaGetDevice {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaGetDevice");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaGetDevice(int *device)
     * }
     */
    public static int cudaGetDevice(MemorySegment device) {
        var mh$ = cudaGetDevice.HANDLE;
        try {
            return (int) mh$.invokeExact(device);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaDeviceSynchronize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaDeviceSynchronize");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaDeviceSynchronize(void)
     * }
     */
    public static int cudaDeviceSynchronize() {
        var mh$ = cudaDeviceSynchronize.HANDLE;
        try {
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaMalloc {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaMalloc");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaMalloc(void **devPtr, size_t size)
     * }
     */
    public static int cudaMalloc(MemorySegment devPtr, long size) {
        var mh$ = cudaMalloc.HANDLE;
        try {
            return (int) mh$.invokeExact(devPtr, size);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaFree {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaFree");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaFree(void *devPtr)
     * }
     */
    public static int cudaFree(MemorySegment devPtr) {
        var mh$ = cudaFree.HANDLE;
        try {
            return (int) mh$.invokeExact(devPtr);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaMallocHost {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaMallocHost");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaMallocHost(void **ptr, size_t size)
     * }
     */
    public static int cudaMallocHost(MemorySegment ptr, long size) {
        var mh$ = cudaMallocHost.HANDLE;
        try {
            return (int) mh$.invokeExact(ptr, size);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaFreeHost {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaFreeHost");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaFreeHost(void *ptr)
     * }
     */
    public static int cudaFreeHost(MemorySegment ptr) {
        var mh$ = cudaFreeHost.HANDLE;
        try {
            return (int) mh$.invokeExact(ptr);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaHostRegister {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaHostRegister");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaHostRegister(void *ptr, size_t size, unsigned int flags)
     * }
     */
    public static int cudaHostRegister(MemorySegment ptr, long size, int flags) {
        var mh$ = cudaHostRegister.HANDLE;
        try {
            return (int) mh$.invokeExact(ptr, size, flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaHostUnregister {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaHostUnregister");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaHostUnregister(void *ptr)
     * }
     */
    public static int cudaHostUnregister(MemorySegment ptr) {
        var mh$ = cudaHostUnregister.HANDLE;
        try {
            return (int) mh$.invokeExact(ptr);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaMemcpy {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_LONG, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaMemcpy");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaMemcpy(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind)
     * }
     */
    public static int cudaMemcpy(MemorySegment dst, MemorySegment src, long count, int kind) {
        var mh$ = cudaMemcpy.HANDLE;
        try {
            return (int) mh$.invokeExact(dst, src, count, kind);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaMemcpyAsync {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_LONG, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaMemcpyAsync");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t count, enum cudaMemcpyKind kind, cudaStream_t stream)
     * }
     */
    public static int cudaMemcpyAsync(MemorySegment dst, MemorySegment src, long count, int kind, MemorySegment stream) {
        var mh$ = cudaMemcpyAsync.HANDLE;
        try {
            return (int) mh$.invokeExact(dst, src, count, kind, stream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaMemset {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_LONG);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaMemset");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaMemset(void *devPtr, int value, size_t count)
     * }
     */
    public static int cudaMemset(MemorySegment devPtr, int value, long count) {
        var mh$ = cudaMemset.HANDLE;
        try {
            return (int) mh$.invokeExact(devPtr, value, count);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaMemsetAsync {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_LONG, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaMemsetAsync");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaMemsetAsync(void *devPtr, int value, size_t count, cudaStream_t stream)
     * }
     */
    public static int cudaMemsetAsync(MemorySegment devPtr, int value, long count, MemorySegment stream) {
        var mh$ = cudaMemsetAsync.HANDLE;
        try {
            return (int) mh$.invokeExact(devPtr, value, count, stream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaStreamCreate {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaStreamCreate");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaStreamCreate(cudaStream_t *pStream)
     * }
     */
    public static int cudaStreamCreate(MemorySegment pStream) {
        var mh$ = cudaStreamCreate.HANDLE;
        try {
            return (int) mh$.invokeExact(pStream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaStreamDestroy {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaStreamDestroy");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaStreamDestroy(cudaStream_t stream)
     * }
     */
    public static int cudaStreamDestroy(MemorySegment stream) {
        var mh$ = cudaStreamDestroy.HANDLE;
        try {
            return (int) mh$.invokeExact(stream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaStreamSynchronize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaStreamSynchronize");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaStreamSynchronize(cudaStream_t stream)
     * }
     */
    public static int cudaStreamSynchronize(MemorySegment stream) {
        var mh$ = cudaStreamSynchronize.HANDLE;
        try {
            return (int) mh$.invokeExact(stream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaStreamWaitEvent {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaStreamWaitEvent", Linker.Option.critical(false));
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int flags)
     * }
     */
    public static int cudaStreamWaitEvent(MemorySegment stream, MemorySegment event, int flags) {
        var mh$ = cudaStreamWaitEvent.HANDLE;
        try {
            return (int) mh$.invokeExact(stream, event, flags);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaEventCreate {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaEventCreate");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaEventCreate(cudaEvent_t *event)
     * }
     */
    public static int cudaEventCreate(MemorySegment event) {
        var mh$ = cudaEventCreate.HANDLE;
        try {
            return (int) mh$.invokeExact(event);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaEventRecord {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaEventRecord", Linker.Option.critical(false));
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream)
     * }
     */
    public static int cudaEventRecord(MemorySegment event, MemorySegment stream) {
        var mh$ = cudaEventRecord.HANDLE;
        try {
            return (int) mh$.invokeExact(event, stream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaEventSynchronize {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaEventSynchronize");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaEventSynchronize(cudaEvent_t event)
     * }
     */
    public static int cudaEventSynchronize(MemorySegment event) {
        var mh$ = cudaEventSynchronize.HANDLE;
        try {
            return (int) mh$.invokeExact(event);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaEventElapsedTime {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaEventElapsedTime");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t start, cudaEvent_t end)
     * }
     */
    public static int cudaEventElapsedTime(MemorySegment ms, MemorySegment start, MemorySegment end) {
        var mh$ = cudaEventElapsedTime.HANDLE;
        try {
            return (int) mh$.invokeExact(ms, start, end);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaEventDestroy {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaEventDestroy");
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaEventDestroy(cudaEvent_t event)
     * }
     */
    public static int cudaEventDestroy(MemorySegment event) {
        var mh$ = cudaEventDestroy.HANDLE;
        try {
            return (int) mh$.invokeExact(event);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaGetErrorString {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaGetErrorString", Linker.Option.critical(false));
    }

    /**
     * {@snippet lang=c :
     * const char *cudaGetErrorString(cudaError_t error)
     * }
     */
    public static MemorySegment cudaGetErrorString(int error) {
        var mh$ = cudaGetErrorString.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact(error);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaGetErrorName {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_POINTER, C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaGetErrorName", Linker.Option.critical(false));
    }

    /**
     * {@snippet lang=c :
     * const char *cudaGetErrorName(cudaError_t error)
     * }
     */
    public static MemorySegment cudaGetErrorName(int error) {
        var mh$ = cudaGetErrorName.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact(error);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cudaGetLastError {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT);
        static final MethodHandle HANDLE = Downcalls.handle(NativeLibraries::cudart, DESC, "cudaGetLastError", Linker.Option.critical(false));
    }

    /**
     * {@snippet lang=c :
     * cudaError_t cudaGetLastError(void)
     * }
     */
    public static int cudaGetLastError() {
        var mh$ = cudaGetLastError.HANDLE;
        try {
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

}
