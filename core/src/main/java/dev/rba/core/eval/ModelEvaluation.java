package dev.rba.core.eval;

import java.util.List;

/**
 * One model's results on the evaluation data.
 *
 * @param size        weights, MACs and bytes on disk
 * @param output      the output compared
 * @param outputShape that output's shape for one sample (dimension 0, the batch, left out)
 * @param samples     samples evaluated
 * @param correct     samples whose top-1 prediction equals the label (0 when the data has no labels)
 * @param hasLabels   whether the data has labels, i.e. whether {@link #accuracy()} means anything
 * @param latency     time per batch, null when not measured
 */
public record ModelEvaluation(ModelSize size, String output, List<Long> outputShape, int samples, int correct,
                              boolean hasLabels, LatencyStats latency) {
    public ModelEvaluation {
        outputShape = List.copyOf(outputShape);
    }

    /** Top-1 accuracy against the labels; NaN when the data has no labels. */
    public double accuracy() {
        return hasLabels && samples > 0 ? (double) correct / samples : Double.NaN;
    }
}
