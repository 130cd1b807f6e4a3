package dev.rba.core.eval;

/** Told how far an evaluation is, so that a caller can draw a progress bar. Called on the evaluating thread. */
@FunctionalInterface
public interface EvaluationProgress {
    EvaluationProgress NONE = (phase, done, total) -> { };

    /** {@code phase} is "evaluating" (done/total samples) or "timing" (done/total timed runs of all models). */
    void update(String phase, long done, long total);
}
