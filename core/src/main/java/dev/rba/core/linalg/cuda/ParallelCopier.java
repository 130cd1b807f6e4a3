package dev.rba.core.linalg.cuda;

import dev.rba.core.linalg.SegmentThreads;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies host memory into the pinned staging buffers with several threads. With the staging copy on the caller's
 * thread alone, rba's streamed Gram from ordinary (pageable) memory moved 6 GB/s on the H200 host, well below what
 * a PCIe 5 upload from pinned memory takes; a few threads together keep up with the DMA.
 * Segments only the calling thread may touch (confined arenas) are copied on the calling thread.
 */
final class ParallelCopier implements AutoCloseable {

    /** Below this, splitting costs more than it saves. */
    static final long MIN_PARALLEL_BYTES = 4L << 20;

    private final int threads;
    private final ExecutorService pool;

    /** @param threads threads taking part in one copy, the caller's included (1 = the caller alone) */
    ParallelCopier(int threads) {
        this.threads = Math.max(1, threads);
        AtomicInteger n = new AtomicInteger();
        this.pool = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads - 1, r -> {
            Thread t = new Thread(r, "rba-cuda-stage-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The default: half the hardware threads, at most 8 (memory bandwidth, not cores, limits a copy). */
    static int defaultThreads() {
        return Math.clamp(Runtime.getRuntime().availableProcessors() / 2, 1, 8);
    }

    int threads() {
        return threads;
    }

    /** Copies {@code bytes} bytes from {@code src} at {@code srcOffset} to the start of {@code dst}. */
    void copy(MemorySegment src, long srcOffset, MemorySegment dst, long bytes) {
        if (pool == null || bytes < MIN_PARALLEL_BYTES || !SegmentThreads.accessibleByOtherThreads(src)) {
            MemorySegment.copy(src, srcOffset, dst, 0, bytes);
            return;
        }
        // parts of whole pages, so two threads never write the same cache line
        long part = ((bytes + threads - 1) / threads + 4095) & ~4095L;
        List<Future<?>> others = new ArrayList<>(threads - 1);
        for (long off = part; off < bytes; off += part) {
            long o = off;
            long n = Math.min(part, bytes - off);
            others.add(pool.submit(() -> MemorySegment.copy(src, srcOffset + o, dst, o, n)));
        }
        MemorySegment.copy(src, srcOffset, dst, 0, Math.min(part, bytes));
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException("staging copy failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while staging a batch for the GPU", e);
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
