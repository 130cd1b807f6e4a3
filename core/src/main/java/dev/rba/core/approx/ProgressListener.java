package dev.rba.core.approx;

/**
 * Hears about long work (calibration captures, held-out checks) so that a front end can show progress. Calls come
 * from the working thread, one stage at a time: {@code done} runs from 0 to {@code total} samples.
 */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (stage, done, total) -> { };

    void update(String stage, long done, long total);
}
