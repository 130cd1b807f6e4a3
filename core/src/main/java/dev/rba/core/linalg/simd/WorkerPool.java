package dev.rba.core.linalg.simd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A fixed set of worker threads that run {@code tasks} numbered tasks, handed out one at a time from a shared
 * counter. Dynamic hand-out (instead of equal static ranges) is chosen because the Gram's tiles are triangular:
 * the task for column strip s costs s+1 tiles, so static halves would leave one core idle half of the time.
 * The calling thread works too, so {@code threads} workers means {@code threads - 1} pool threads.
 */
public final class WorkerPool implements AutoCloseable {

    /** Runs every task on the calling thread (for work on memory only the caller may touch). */
    public static final WorkerPool CALLER_ONLY = new WorkerPool(1);

    private final int threads;
    private final ExecutorService executor;

    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("worker thread count must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.executor = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "rba-java-linalg");
            t.setDaemon(true);
            return t;
        });
    }

    /** Thread count from system property {@code rba.java.threads}, else every available core. */
    public static int defaultThreads() {
        String p = System.getProperty("rba.java.threads");
        if (p != null && !p.isBlank()) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("system property rba.java.threads=" + p + " is not a positive integer; set it to e.g. 4 or remove it");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public int threads() {
        return threads;
    }

    /** Runs body(0..tasks-1), each index exactly once, on all workers; returns when all are done. */
    public void run(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        int helpers = Math.min(threads, tasks) - 1;
        if (helpers <= 0 || executor == null) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable loop = () -> {
            for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
                body.accept(i);
            }
        };
        List<Future<?>> futures = new ArrayList<>(helpers);
        for (int h = 0; h < helpers; h++) {
            futures.add(executor.submit(loop));
        }
        RuntimeException failure = null;
        try {
            loop.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        failure = awaitAll(futures, failure, "linear-algebra workers");
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Waits for every one of {@code futures} (so that none still reads memory the caller frees next) and returns the
     * first failure: {@code earlier} when not null, else the first future's in list order (so that messages do not
     * depend on scheduling), else null. An interrupt is kept on the thread and reported as a failure.
     *
     * @param what the tasks, for the interrupt's message ("interrupted while waiting for " + what)
     */
    public static RuntimeException awaitAll(List<? extends Future<?>> futures, RuntimeException earlier, String what) {
        RuntimeException failure = earlier;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        return failure;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
