package dev.rba.cli;

import dev.rba.core.approx.ProgressListener;
import dev.rba.core.eval.EvaluationProgress;

import java.io.PrintWriter;

/**
 * One progress bar per stage of a core operation that reports {@code (stage, done, total)}: a new stage name closes
 * the previous bar and starts the next (calibration, then each held-out check; or the pass over the data, then the
 * timing runs).
 */
final class StagedProgress implements ProgressListener, EvaluationProgress, AutoCloseable {
    private final PrintWriter err;
    private final boolean quiet;
    private String stage;
    private Progress bar;

    StagedProgress(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    @Override
    public void update(String name, long done, long total) {
        if (!name.equals(stage)) {
            close();
            stage = name;
            bar = Progress.start(err, quiet, name, total, name.equals("timing") ? "runs" : "samples");
        }
        bar.set(done);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
        bar = null;
        stage = null;
    }
}
