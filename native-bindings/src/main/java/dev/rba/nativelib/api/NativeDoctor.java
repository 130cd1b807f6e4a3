package dev.rba.nativelib.api;
import dev.rba.nativelib.Downcalls;
import dev.rba.nativelib.NativeCallException;
import dev.rba.nativelib.CusolverStatus;
import dev.rba.nativelib.CublasStatus;
import dev.rba.nativelib.NativeLibraryUnavailableException;
import dev.rba.nativelib.CudaStatus;
import dev.rba.nativelib.NativeLibrary;
import dev.rba.nativelib.NativeLibraries;

import dev.rba.nativelib.cblas.cblas_h;
import dev.rba.nativelib.cublas.cublas_api_h;
import dev.rba.nativelib.cuda.CudaDeviceProp;
import dev.rba.nativelib.cuda.cuda_runtime_api_h;
import dev.rba.nativelib.cusolver.cusolverDn_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Loads each native library (through {@link NativeLibraries}) and asks it for its version, for `rba doctor`.
 * Never throws for a missing library: that becomes a status with the loader's message.
 */
public final class NativeDoctor {
    private NativeDoctor() {
    }

    /** One entry per library, in the order cudart, cublas, cusolver, openblas, lapacke. */
    public static List<NativeLibraryStatus> probe() {
        List<NativeLibraryStatus> statuses = new ArrayList<>();
        statuses.add(probe("cudart", NativeLibraries::cudart, NativeDoctor::cudaVersion));
        statuses.add(probe("cublas", NativeLibraries::cublas, () -> propertyVersion(cublas_api_h::cublasGetProperty, "cublasGetProperty", true)));
        statuses.add(probe("cusolver", NativeLibraries::cusolver, () -> propertyVersion(cusolverDn_h::cusolverGetProperty, "cusolverGetProperty", false)));
        statuses.add(probe("openblas", NativeLibraries::openblas, NativeDoctor::openblasVersion));
        statuses.add(probe("lapacke", NativeLibraries::lapacke, () -> null));
        return statuses;
    }

    /** One GPU as the CUDA runtime describes it. */
    public record CudaDevice(int ordinal, String name, int computeMajor, int computeMinor, int multiprocessors, long totalBytes, long freeBytes) {
    }

    /** The visible GPUs; empty when there is none. Throws NativeLibraryUnavailableException without libcudart. */
    public static List<CudaDevice> cudaDevices() {
        List<CudaDevice> devices = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            int rc = cuda_runtime_api_h.cudaGetDeviceCount(count);
            if (rc == cuda_runtime_api_h.cudaErrorNoDevice || rc == cuda_runtime_api_h.cudaErrorInsufficientDriver) {
                return devices;
            }
            CudaStatus.check("cudaGetDeviceCount", rc);
            for (int d = 0; d < count.get(ValueLayout.JAVA_INT, 0); d++) {
                String name = CudaDeviceProp.name(d);
                int major = attribute(arena, cuda_runtime_api_h.cudaDevAttrComputeCapabilityMajor, d);
                int minor = attribute(arena, cuda_runtime_api_h.cudaDevAttrComputeCapabilityMinor, d);
                int sms = attribute(arena, cuda_runtime_api_h.cudaDevAttrMultiProcessorCount, d);
                CudaStatus.check("cudaSetDevice", cuda_runtime_api_h.cudaSetDevice(d));
                MemorySegment free = arena.allocate(ValueLayout.JAVA_LONG);
                MemorySegment total = arena.allocate(ValueLayout.JAVA_LONG);
                CudaStatus.check("cudaMemGetInfo", cuda_runtime_api_h.cudaMemGetInfo(free, total));
                devices.add(new CudaDevice(d, name, major, minor, sms, total.get(ValueLayout.JAVA_LONG, 0), free.get(ValueLayout.JAVA_LONG, 0)));
            }
        }
        return devices;
    }

    private static int attribute(Arena arena, int attribute, int device) {
        MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
        CudaStatus.check("cudaDeviceGetAttribute", cuda_runtime_api_h.cudaDeviceGetAttribute(value, attribute, device));
        return value.get(ValueLayout.JAVA_INT, 0);
    }

    private interface VersionQuery {
        String get();
    }

    private static NativeLibraryStatus probe(String name, java.util.function.Supplier<NativeLibrary> load, VersionQuery version) {
        NativeLibrary library;
        try {
            library = load.get();
        } catch (NativeLibraryUnavailableException e) {
            return NativeLibraryStatus.missing(name, e);
        }
        try {
            return NativeLibraryStatus.ok(library, version.get());
        } catch (NativeLibraryUnavailableException | NativeCallException e) {
            return new NativeLibraryStatus(name, false, library.path(), library.source(), null, e.getMessage());
        }
    }

    private static String cudaVersion() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment runtime = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment driver = arena.allocate(ValueLayout.JAVA_INT);
            CudaStatus.check("cudaRuntimeGetVersion", cuda_runtime_api_h.cudaRuntimeGetVersion(runtime));
            CudaStatus.check("cudaDriverGetVersion", cuda_runtime_api_h.cudaDriverGetVersion(driver));
            int d = driver.get(ValueLayout.JAVA_INT, 0);
            return "runtime " + cudaVersionText(runtime.get(ValueLayout.JAVA_INT, 0)) + ", driver " + (d == 0 ? "none" : cudaVersionText(d));
        }
    }

    /** CUDA encodes versions as 1000 * major + 10 * minor (12040 is 12.4). */
    static String cudaVersionText(int encoded) {
        return (encoded / 1000) + "." + (encoded % 1000) / 10;
    }

    private interface PropertyQuery {
        int get(int type, MemorySegment value);
    }

    private static String propertyVersion(PropertyQuery query, String functionName, boolean cublas) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            int[] parts = new int[3];
            IntUnaryOperator ask = type -> {
                int rc = query.get(type, value);
                if (cublas) {
                    CublasStatus.check(functionName, rc);
                } else {
                    CusolverStatus.check(functionName, rc);
                }
                return value.get(ValueLayout.JAVA_INT, 0);
            };
            for (int type = 0; type < 3; type++) {
                parts[type] = ask.applyAsInt(type);
            }
            return parts[0] + "." + parts[1] + "." + parts[2];
        }
    }

    private static String openblasVersion() {
        String config = Downcalls.cString(cblas_h.openblas_get_config());
        String core = Downcalls.cString(cblas_h.openblas_get_corename());
        return (config == null ? "OpenBLAS" : config.strip()) + (core == null ? "" : ", core " + core) + ", " + cblas_h.openblas_get_num_threads() + " threads";
    }
}
