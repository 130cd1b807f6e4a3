package dev.rba.core.linalg;

import java.lang.foreign.MemorySegment;

/** Whether worker threads may touch a caller's segment: not if a confined arena ties it to the calling thread. */
public final class SegmentThreads {

    /** An unstarted thread: a segment accessible by it is not confined to any one running thread. */
    private static final Thread FOREIGN_THREAD_PROBE = new Thread(() -> { });

    private SegmentThreads() {
    }

    public static boolean accessibleByOtherThreads(MemorySegment segment) {
        return segment.isAccessibleBy(FOREIGN_THREAD_PROBE);
    }
}
