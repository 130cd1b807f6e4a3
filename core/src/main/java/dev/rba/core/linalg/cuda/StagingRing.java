package dev.rba.core.linalg.cuda;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.DoubleConsumer;

import static dev.rba.nativelib.cuda.cuda_runtime_api_h.cudaEventRecord;

/**
 * The upload slots of one device, shared by all its Gram accumulators (they run one at a time under the device
 * lock, so one ring serves them all and staging memory does not grow with the number of accumulators). Each slot
 * has a pinned host buffer (for batches in ordinary memory), a device buffer, and three events: copy start and
 * copy done on the ring's copy stream, compute done on the compute stream.
 *
 * <p>Order is kept on the GPU with {@code cudaStreamWaitEvent}: an upload into a slot's device buffer waits for the
 * product that last read it, a product waits for its upload. The host waits only before it reuses a slot (for that
 * slot's previous upload, so that its pinned buffer may be overwritten), which keeps it at most {@link #SLOTS}
 * sub-batches ahead of the GPU.
 *
 * <p>Also holds a device vector of ones ({@link #ONES} floats), the right-hand side that turns a product into
 * column sums. Everything belongs to the ring's {@link CudaScope}, replaced when a wider batch needs bigger slots.
 */
final class StagingRing implements AutoCloseable {

    static final int SLOTS = 4;
    static final int ONES = CudaGramAccumulator.STAGE_ROWS;

    /** One upload slot. */
    static final class Slot {
        MemorySegment pinned;
        MemorySegment device;
        MemorySegment copyStart;
        MemorySegment copyDone;
        MemorySegment computeDone;
        /** A product reading {@link #device} was queued and computeDone recorded after it. */
        boolean computeQueued;
        /** Receives the time of the upload in flight, once the host has seen it finish; null when none. */
        DoubleConsumer copyTimer;
    }

    private final CudaContext ctx;
    private final MemorySegment copyStream;
    private final CudaScope fixed = new CudaScope();
    private final MemorySegment ones;
    private CudaScope buffers;
    private final Slot[] slots = new Slot[SLOTS];
    private long slotBytes;
    private int next;

    StagingRing(CudaContext ctx) {
        this.ctx = ctx;
        try {
            ctx.makeCurrent();
            this.copyStream = fixed.stream();
            this.ones = fixed.device((long) ONES * Float.BYTES);
            MemorySegment hostOnes = fixed.pinned((long) ONES * Float.BYTES);
            for (int i = 0; i < ONES; i++) {
                hostOnes.setAtIndex(ValueLayout.JAVA_FLOAT, i, 1f);
            }
            CudaCalls.h2d(ones, hostOnes, (long) ONES * Float.BYTES, copyStream);
            CudaCalls.sync(copyStream);
        } catch (RuntimeException | Error e) {
            CudaScope.closeAfterFailure(fixed, e);
            throw e;
        }
    }

    MemorySegment copyStream() {
        return copyStream;
    }

    MemorySegment ones() {
        return ones;
    }

    /**
     * The next slot, with buffers of at least {@code bytes}, its previous upload finished (timed into whoever
     * issued it). Its device buffer may still be read by a queued product: queue the upload after
     * {@link #awaitComputeOnCopyStream(Slot)}.
     */
    Slot acquire(long bytes) {
        if (bytes > slotBytes) {
            grow(bytes);
        }
        Slot s = slots[next];
        next = (next + 1) % SLOTS;
        finishCopy(s);
        return s;
    }

    /** Queues the upload of {@code bytes} from {@code src} (pinned) into the slot, after the slot's last product. */
    void upload(Slot s, MemorySegment src, long bytes, DoubleConsumer copyTimer) {
        if (s.computeQueued) {
            CudaCalls.streamWaitEvent(copyStream, s.computeDone);
        }
        CudaCalls.record(s.copyStart, copyStream);
        CudaCalls.h2d(s.device, src, bytes, copyStream);
        CudaCalls.record(s.copyDone, copyStream);
        s.copyTimer = copyTimer;
        // the compute stream waits for this upload before the product that reads it
        CudaCalls.streamWaitEvent(ctx.stream(), s.copyDone);
    }

    /** Marks the end of the slot's product on the compute stream. */
    void computeQueued(Slot s) {
        CudaCalls.record(s.computeDone, ctx.stream());
        s.computeQueued = true;
    }

    /** Waits until every upload issued so far has finished (and times them). */
    void finishAllCopies() {
        for (Slot s : slots) {
            if (s != null) {
                finishCopy(s);
            }
        }
    }

    private void finishCopy(Slot s) {
        if (s.copyTimer != null) {
            CudaCalls.eventSync(s.copyDone);
            DoubleConsumer t = s.copyTimer;
            s.copyTimer = null;
            t.accept(CudaCalls.elapsedMillis(s.copyStart, s.copyDone));
        }
    }

    /** Replaces the slots by bigger ones, after everything that used the old ones has finished. */
    private void grow(long bytes) {
        sync();
        CudaScope old = buffers;
        buffers = null;
        if (old != null) {
            old.close();
        }
        slotBytes = 0;
        CudaScope scope = new CudaScope();
        try {
            Slot[] made = new Slot[SLOTS];
            for (int i = 0; i < SLOTS; i++) {
                Slot s = new Slot();
                s.pinned = scope.pinned(bytes);
                s.device = scope.device(bytes);
                s.copyStart = scope.event();
                s.copyDone = scope.event();
                s.computeDone = scope.event();
                made[i] = s;
            }
            System.arraycopy(made, 0, slots, 0, SLOTS);
        } catch (RuntimeException | Error e) {
            CudaScope.closeAfterFailure(scope, e);
            throw e;
        }
        buffers = scope;
        slotBytes = bytes;
        next = 0;
    }

    /** Waits for all queued work on both streams; after this no slot is in use. */
    void sync() {
        finishAllCopies();
        CudaCalls.sync(copyStream);
        CudaCalls.sync(ctx.stream());
    }

    @Override
    public void close() {
        try {
            ctx.makeCurrent();
            sync();
        } finally {
            try {
                if (buffers != null) {
                    buffers.close();
                }
            } finally {
                fixed.close();
            }
        }
    }
}
