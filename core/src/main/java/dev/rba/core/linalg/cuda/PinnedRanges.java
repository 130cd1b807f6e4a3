package dev.rba.core.linalg.cuda;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;

/**
 * The page-locked host allocations a {@link CudaDevice} handed out, by address, so that an upload can tell whether a
 * caller's segment may go to the GPU by DMA as it is (no staging copy). Thread-safe: allocations are freed by
 * whichever thread closes their arena.
 */
final class PinnedRanges {

    private final TreeMap<Long, Long> sizeByStart = new TreeMap<>();

    synchronized void add(long address, long bytes) {
        sizeByStart.put(address, bytes);
    }

    synchronized void remove(long address) {
        sizeByStart.remove(address);
    }

    /** True when the first {@code bytes} bytes of {@code segment} lie inside one registered allocation. */
    synchronized boolean covers(MemorySegment segment, long bytes) {
        if (!segment.isNative() || bytes > segment.byteSize()) {
            return false;
        }
        long start = segment.address();
        Map.Entry<Long, Long> e = sizeByStart.floorEntry(start);
        return e != null && start + bytes <= e.getKey() + e.getValue();
    }

    synchronized int count() {
        return sizeByStart.size();
    }
}
