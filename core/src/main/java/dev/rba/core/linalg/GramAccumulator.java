package dev.rba.core.linalg;

import java.lang.foreign.MemorySegment;

/**
 * A running fp64 sum of {@code Z^T Z} and of the column sums of Z over float32 batches {@code Z [rows, cols]}.
 * Created by {@link Backend#newGramAccumulator(int)}; may hold device memory, so close it.
 */
public interface GramAccumulator extends AutoCloseable {

    int cols();

    /** Adds one batch: {@code rows} rows of {@code cols} floats, row-major, starting at offset 0 of {@code batch}. */
    void add(MemorySegment batch, long rows);

    /** Number of rows added so far. */
    long rows();

    /** The fp64 running sum of Z^T Z as a full symmetric [cols, cols] row-major array (a fresh copy). */
    double[] gram();

    /** The fp64 running column sums [cols] (a fresh copy). */
    double[] columnSums();

    @Override
    void close();
}
