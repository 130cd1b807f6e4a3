package dev.rba.core.linalg.cuda;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.*;

/** The CPU-side parts of the CUDA upload path: the page-locked range registry and the parallel staging copy. */
class StagingHelpersTest {

    @Test
    void pinnedRangesCoverOnlyWhatLiesInsideOneAllocation() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(1 << 16, 4096);
            PinnedRanges ranges = new PinnedRanges();
            assertFalse(ranges.covers(block, 16));
            ranges.add(block.address() + 4096, 8192);
            assertTrue(ranges.covers(block.asSlice(4096, 8192), 8192));
            assertTrue(ranges.covers(block.asSlice(8192, 100), 100));
            assertFalse(ranges.covers(block.asSlice(8192, 8192), 8192), "runs past the end of the allocation");
            assertFalse(ranges.covers(block.asSlice(0, 8192), 8192), "starts before it");
            assertFalse(ranges.covers(MemorySegment.ofArray(new float[4]), 16), "heap memory is never page-locked");
            ranges.remove(block.address() + 4096);
            assertFalse(ranges.covers(block.asSlice(4096, 8192), 8192));
            assertEquals(0, ranges.count());
        }
    }

    @Test
    void parallelCopyEqualsASerialCopyForAllKindsOfSource() {
        int floats = 5_000_003; // not a multiple of the page-sized parts
        float[] data = new float[floats];
        for (int i = 0; i < floats; i++) data[i] = i * 0.5f - 7;
        try (ParallelCopier copier = new ParallelCopier(4); Arena shared = Arena.ofShared(); Arena confined = Arena.ofConfined()) {
            assertEquals(4, copier.threads());
            MemorySegment sharedSrc = shared.allocate((long) floats * 4 + 12, 64);
            MemorySegment confinedSrc = confined.allocate((long) floats * 4 + 12, 64);
            MemorySegment.copy(data, 0, sharedSrc, ValueLayout.JAVA_FLOAT, 12, floats);
            MemorySegment.copy(data, 0, confinedSrc, ValueLayout.JAVA_FLOAT, 12, floats);
            MemorySegment heapSrc = MemorySegment.ofArray(data);
            for (MemorySegment[] c : new MemorySegment[][] {{sharedSrc, null}, {confinedSrc, null}, {heapSrc, null}}) {
                MemorySegment src = c[0];
                long offset = src.isNative() ? 12 : 0;
                MemorySegment dst = shared.allocate((long) floats * 4, 64);
                copier.copy(src, offset, dst, (long) floats * 4);
                float[] back = dst.toArray(ValueLayout.JAVA_FLOAT);
                assertArrayEquals(data, back, "source " + src);
            }
        }
    }
}
