package dev.rba.core.eval;

import java.util.List;

/**
 * Everything an evaluation measured.
 *
 * @param model     the evaluated model
 * @param baseline  the baseline it is compared with, null when none was given
 * @param agreement the model's outputs against the baseline's, null without a baseline
 * @param data      one line saying which data was evaluated
 * @param machine   where the latencies were measured
 * @param notes     things worth knowing about the figures, one line each
 */
public record EvaluationReport(ModelEvaluation model, ModelEvaluation baseline, Agreement agreement, String data,
                               MachineInfo machine, List<String> notes) {
    public EvaluationReport {
        notes = List.copyOf(notes);
    }

    /** Median latency of the model over the baseline's (below 1: faster); NaN when either was not measured. */
    public double latencyRatio() {
        if (baseline == null || baseline.latency() == null || model.latency() == null) return Double.NaN;
        return model.latency().medianMs() / baseline.latency().medianMs();
    }

    /** The side-by-side table: metric, baseline, model, change. */
    public List<ComparisonRow> table() {
        return Comparison.compare(baseline, model, agreement);
    }
}
