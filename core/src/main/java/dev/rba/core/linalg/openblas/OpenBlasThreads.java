package dev.rba.core.linalg.openblas;

import static dev.rba.nativelib.cblas.cblas_h.openblas_get_num_threads;
import static dev.rba.nativelib.cblas.cblas_h.openblas_set_num_threads;

/**
 * OpenBLAS runs single-threaded inside rba, and rba spreads the work over its own threads instead (the Gram's tiles,
 * sgemm's row bands). OpenBLAS's thread pool waits for its threads by spinning: measured on the project's 2-core
 * machine with other jobs running, 36% of a threaded Gram's CPU time went to spinning in ssyrk_thread_UT,
 * exec_blas_async_wait and the idle pool, and the statistics of a ViT-B batch took 0.42 s against 0.27 s
 * single-threaded; the fit's LAPACK calls (dsyevd, dpotrf) took 2-4 s against 0.5-1 s. A single-threaded call is
 * also safe to make from several threads at once, which a threaded one is not.
 */
public final class OpenBlasThreads {

    /** The library's thread count when rba first opened it (OPENBLAS_NUM_THREADS, else the cores); 0 until then. */
    private static int cores;

    private OpenBlasThreads() {
    }

    /**
     * Switches OpenBLAS to one thread (once per process) and returns how many threads it would have used: the
     * number rba's own workers take over.
     */
    public static synchronized int takeOver() {
        if (cores == 0) {
            cores = Math.max(1, openblas_get_num_threads());
            openblas_set_num_threads(1);
        }
        return cores;
    }
}
