package dev.rba.core.linalg;

import dev.rba.core.linalg.cuda.CudaGramAccumulator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.*;

/** The CUDA backend (fp32, no TF32) against the Java reference; skipped with a printed reason where no GPU answers. */
class CudaBackendTest extends BackendContractTest {

    @Override
    Backend open() {
        return openCudaOrSkip(false);
    }

    @Test
    void pageLockedBuffersGoStraightToTheGpuAndOthersThroughStaging() {
        CudaBackend cuda = (CudaBackend) backend;
        int cols = 32, rows = 20_000;
        long bytes = (long) rows * cols * Float.BYTES;
        int before = cuda.pageLockedBuffers();
        try (Arena arena = Arena.ofShared(); GramAccumulator acc = cuda.newGramAccumulator(cols)) {
            MemorySegment pinned = cuda.allocateHost(bytes, arena);
            MemorySegment plain = arena.allocate(bytes, 64);
            assertTrue(cuda.isPageLocked(pinned));
            assertTrue(cuda.isPageLocked(pinned.asSlice(bytes / 2)));
            assertFalse(cuda.isPageLocked(plain));
            acc.add(pinned, rows);
            acc.add(plain, rows);
            acc.gram();
            long[] uploaded = ((CudaGramAccumulator) acc).uploadedBytes();
            assertEquals(bytes, uploaded[0], "bytes uploaded straight from page-locked memory");
            assertEquals(bytes, uploaded[1], "bytes staged");
            assertTrue(((CudaGramAccumulator) acc).copyMillis() > 0);
            assertEquals(before + 1, cuda.pageLockedBuffers());
        }
        assertEquals(before, cuda.pageLockedBuffers(), "closing the arena frees its page-locked buffer");
    }

    @Test
    void aClosedBackendRefusesWorkInsteadOfCrashing() {
        CudaBackend second = new CudaBackend(false);
        GramAccumulator acc = second.newGramAccumulator(8);
        acc.add(MemorySegment.ofArray(new float[16]), 2);
        second.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> acc.add(MemorySegment.ofArray(new float[8]), 1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, acc::gram);
        assertThrows(IllegalStateException.class, () -> second.newGramAccumulator(4));
        assertThrows(IllegalStateException.class, () -> second.choleskySolve(1, 1, new double[] {2}, new double[] {1}));
        acc.close(); // frees its own buffers; the released streams are not touched
        second.close(); // twice is fine
    }

    static Backend openCudaOrSkip(boolean tf32) {
        try {
            return new CudaBackend(tf32);
        } catch (RuntimeException | LinkageError e) {
            String reason = "CUDA backend tests skipped: " + Backends.oneLine(e);
            System.out.println(reason);
            Assumptions.assumeTrue(false, reason);
            return null;
        }
    }
}
