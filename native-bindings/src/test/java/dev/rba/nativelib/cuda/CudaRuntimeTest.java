package dev.rba.nativelib.cuda;

import static dev.rba.nativelib.cuda.cuda_runtime_api_h.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rba.nativelib.CudaStatus;
import dev.rba.nativelib.NativeCallException;
import dev.rba.nativelib.api.NativeDoctor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real CUDA runtime calls; skipped (with the reason printed) where there is no libcudart or no GPU. */
class CudaRuntimeTest {
    @BeforeEach
    void needsGpu() {
        Gpu.assumeDevice();
    }

    @Test
    void memcpyRoundTripThroughDeviceWithMemsetAndDeviceToDeviceCopy() {
        int n = 1000;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i * 0.5f - 7;
        }
        try (Gpu gpu = new Gpu()) {
            MemorySegment a = gpu.upload(values);
            MemorySegment b = gpu.malloc(n * 4L);
            CudaStatus.check("cudaMemset", cudaMemset(b, 0, n * 4L));
            assertArrayEquals(new float[n], gpu.downloadFloats(b, n));
            CudaStatus.check("cudaMemcpy", cudaMemcpy(b, a, n * 4L, cudaMemcpyDeviceToDevice));
            assertArrayEquals(values, gpu.downloadFloats(b, n));
            CudaStatus.check("cudaDeviceSynchronize", cudaDeviceSynchronize());
        }
    }

    @Test
    void asyncCopiesOnAStreamWithPinnedAndRegisteredHostMemoryAndEvents() {
        int n = 4096;
        try (Gpu gpu = new Gpu()) {
            MemorySegment streamSlot = gpu.handleSlot();
            CudaStatus.check("cudaStreamCreate", cudaStreamCreate(streamSlot));
            MemorySegment stream = streamSlot.get(ValueLayout.ADDRESS, 0);
            MemorySegment startSlot = gpu.handleSlot();
            MemorySegment endSlot = gpu.handleSlot();
            CudaStatus.check("cudaEventCreate", cudaEventCreate(startSlot));
            CudaStatus.check("cudaEventCreate", cudaEventCreate(endSlot));
            MemorySegment start = startSlot.get(ValueLayout.ADDRESS, 0);
            MemorySegment end = endSlot.get(ValueLayout.ADDRESS, 0);

            // pinned by cudaMallocHost
            MemorySegment pinnedSlot = gpu.handleSlot();
            CudaStatus.check("cudaMallocHost", cudaMallocHost(pinnedSlot, n * 4L));
            MemorySegment pinned = pinnedSlot.get(ValueLayout.ADDRESS, 0).reinterpret(n * 4L);
            for (int i = 0; i < n; i++) {
                pinned.setAtIndex(ValueLayout.JAVA_FLOAT, i, i);
            }
            // an Arena segment registered with cudaHostRegister (what rba does with ORT's output buffers)
            MemorySegment registered = gpu.arena.allocate(n * 4L, 4096);
            CudaStatus.check("cudaHostRegister", cudaHostRegister(registered, n * 4L, cudaHostRegisterDefault));

            MemorySegment device = gpu.malloc(n * 4L);
            CudaStatus.check("cudaEventRecord", cudaEventRecord(start, stream));
            CudaStatus.check("cudaMemcpyAsync", cudaMemcpyAsync(device, pinned, n * 4L, cudaMemcpyHostToDevice, stream));
            CudaStatus.check("cudaMemsetAsync", cudaMemsetAsync(device, 0, 4, stream)); // element 0 := 0.0f (already 0)
            CudaStatus.check("cudaMemcpyAsync", cudaMemcpyAsync(registered, device, n * 4L, cudaMemcpyDeviceToHost, stream));
            CudaStatus.check("cudaEventRecord", cudaEventRecord(end, stream));
            CudaStatus.check("cudaStreamSynchronize", cudaStreamSynchronize(stream));
            CudaStatus.check("cudaEventSynchronize", cudaEventSynchronize(end));
            MemorySegment ms = gpu.arena.allocate(ValueLayout.JAVA_FLOAT);
            CudaStatus.check("cudaEventElapsedTime", cudaEventElapsedTime(ms, start, end));
            assertTrue(ms.get(ValueLayout.JAVA_FLOAT, 0) >= 0);
            for (int i = 0; i < n; i++) {
                assertEquals(i, registered.getAtIndex(ValueLayout.JAVA_FLOAT, i));
            }
            CudaStatus.check("cudaHostUnregister", cudaHostUnregister(registered));
            CudaStatus.check("cudaFreeHost", cudaFreeHost(pinned));
            CudaStatus.check("cudaEventDestroy", cudaEventDestroy(start));
            CudaStatus.check("cudaEventDestroy", cudaEventDestroy(end));
            CudaStatus.check("cudaStreamDestroy", cudaStreamDestroy(stream));
        }
    }

    @Test
    void failedMallocBecomesNativeCallExceptionWithTheErrorName() {
        try (Gpu gpu = new Gpu()) {
            MemorySegment slot = gpu.handleSlot();
            int rc = cudaMalloc(slot, 1L << 60); // an exbibyte
            NativeCallException e = assertThrows(NativeCallException.class, () -> CudaStatus.check("cudaMalloc", rc));
            assertEquals(cudaErrorMemoryAllocation, e.code());
            assertTrue(e.getMessage().startsWith("cudaMalloc failed: cudaErrorMemoryAllocation (2)"), e.getMessage());
            assertEquals(cudaErrorMemoryAllocation, cudaGetLastError(), "the failure is also the last error");
            assertEquals(cudaSuccess, cudaGetLastError(), "and reading it clears it");
        }
    }

    @Test
    void doctorDescribesTheDevice() {
        List<NativeDoctor.CudaDevice> devices = NativeDoctor.cudaDevices();
        assertFalse(devices.isEmpty());
        for (NativeDoctor.CudaDevice d : devices) {
            System.out.println("CUDA device: " + d);
            assertFalse(d.name().isBlank());
            assertTrue(d.computeMajor() >= 3, d.toString());
            assertTrue(d.totalBytes() > d.freeBytes() / 2 && d.freeBytes() > 0, d.toString());
        }
        try (Gpu gpu = new Gpu()) {
            MemorySegment version = gpu.arena.allocate(ValueLayout.JAVA_INT);
            CudaStatus.check("cudaRuntimeGetVersion", cudaRuntimeGetVersion(version));
            assertTrue(version.get(ValueLayout.JAVA_INT, 0) >= 11000);
            MemorySegment device = gpu.arena.allocate(ValueLayout.JAVA_INT);
            CudaStatus.check("cudaGetDevice", cudaGetDevice(device));
            assertEquals(0, device.get(ValueLayout.JAVA_INT, 0));
        }
        NativeDoctor.probe().forEach(s -> System.out.println("doctor: " + s));
    }
}
