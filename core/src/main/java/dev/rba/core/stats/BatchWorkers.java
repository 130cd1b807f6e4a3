package dev.rba.core.stats;

import dev.rba.core.linalg.simd.WorkerPool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The CPU threads of one {@link StatisticsAccumulator}: per-stream selection and checks, the concatenation copy and
 * the per-pair row sums run here, so that on a GPU backend the CPU side does not become the bottleneck (measured on
 * an H200 host: the CPU side of a 13-stream ViT-B batch took several times as long as the GPU Gram when single
 * threaded). Each task writes only its own outputs, so results do not depend on the thread count.
 */
final class BatchWorkers implements AutoCloseable {

    private final ExecutorService pool;

    BatchWorkers(int threads) {
        if (threads < 1) throw new IllegalArgumentException("statistics threads must be at least 1, got " + threads);
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "rba-stats");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs body(0..n-1), in parallel when {@code parallel}; see {@link Pending#await()} for errors. */
    Pending start(int n, boolean parallel, IntConsumer body) {
        if (pool == null || !parallel || n == 1) {
            RuntimeException first = null;
            for (int i = 0; i < n; i++) {
                try {
                    body.accept(i);
                } catch (RuntimeException e) {
                    if (first == null) first = e;
                }
            }
            RuntimeException error = first;
            return () -> {
                if (error != null) throw error;
            };
        }
        List<Future<?>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            futures.add(pool.submit(() -> body.accept(index)));
        }
        return () -> {
            // every task ends before the lowest index's error is reported
            RuntimeException first = WorkerPool.awaitAll(futures, null, "the statistics workers");
            if (first != null) throw first;
        };
    }

    /** Runs body(0..n-1) and waits. */
    void forEach(int n, boolean parallel, IntConsumer body) {
        start(n, parallel, body).await();
    }

    /** Work started by {@link #start}. */
    interface Pending {
        /** Waits for all of it; rethrows the error of the lowest failing index, if any. */
        void await();
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
