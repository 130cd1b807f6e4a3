package dev.rba.core.linalg.cuda;

import dev.rba.nativelib.CudaStatus;
import dev.rba.nativelib.NativeCallException;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntSupplier;

import static dev.rba.nativelib.cuda.cuda_runtime_api_h.*;

/**
 * Owns CUDA resources (device buffers, pinned buffers, streams, events, library handles) and releases them in
 * reverse order of acquisition on {@link #close()}, on every path: a constructor that fails half-way closes its
 * scope before rethrowing. Release failures are collected; the first is thrown after everything was tried.
 */
public final class CudaScope implements AutoCloseable {

    private record Release(String function, IntSupplier call) {
    }

    private final Deque<Release> releases = new ArrayDeque<>();
    private boolean closed;

    public MemorySegment device(long bytes) {
        MemorySegment p = CudaCalls.deviceMalloc(bytes);
        releases.push(new Release("cudaFree", () -> cudaFree(p)));
        return p;
    }

    public MemorySegment pinned(long bytes) {
        MemorySegment p = CudaCalls.hostMalloc(bytes);
        releases.push(new Release("cudaFreeHost", () -> cudaFreeHost(p)));
        return p;
    }

    public MemorySegment stream() {
        MemorySegment s = CudaCalls.streamCreate();
        releases.push(new Release("cudaStreamDestroy", () -> cudaStreamDestroy(s)));
        return s;
    }

    public MemorySegment event() {
        MemorySegment e = CudaCalls.eventCreate();
        releases.push(new Release("cudaEventDestroy", () -> cudaEventDestroy(e)));
        return e;
    }

    /** Registers any other release (a cuBLAS or cuSOLVER handle); {@code call} returns the library's status code. */
    public void onClose(String function, IntSupplier call) {
        releases.push(new Release(function, call));
    }

    /**
     * Closes {@code resource} after {@code cause} made its owner give up (a constructor failing half-way), keeping a
     * release failure as a suppressed exception of the cause.
     */
    static void closeAfterFailure(AutoCloseable resource, Throwable cause) {
        try {
            resource.close();
        } catch (Exception suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        while (!releases.isEmpty()) {
            Release r = releases.pop();
            try {
                int rc = r.call().getAsInt();
                if (rc != 0) {
                    throw new NativeCallException(r.function(), rc, r.function().startsWith("cuda") ? CudaStatus.name(rc) : "status " + rc);
                }
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
