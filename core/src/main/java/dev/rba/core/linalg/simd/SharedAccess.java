package dev.rba.core.linalg.simd;

import java.lang.foreign.MemorySegment;

/** Whether worker threads may read a segment: false for segments of a confined arena owned by the caller. */
final class SharedAccess {

    /** Never started: it only stands for "some thread other than the owner". */
    private static final Thread OTHER = new Thread(() -> { });

    private SharedAccess() {
    }

    static boolean readableByWorkers(MemorySegment segment) {
        return segment.isAccessibleBy(OTHER);
    }
}
