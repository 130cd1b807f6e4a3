package dev.rba.core.pipeline;

import java.util.Locale;

/**
 * Where a calibration pass spent its wall time, in seconds: loading and preprocessing data, ONNX Runtime's forward
 * passes (including writing h_k into the capture buffers), accumulating statistics, and the output consumer.
 * The "analysis overhead" target is {@code statistics < forward}.
 *
 * <p>The first batches of a run also pay for the JIT compiling the statistics kernels (about a second or two on a
 * small CPU) and for starting worker threads; on a small model with few batches that one-off cost dominates. The
 * median per-batch times show the steady state that a long calibration run converges to.
 *
 * @param batches                     batches run
 * @param medianForwardBatchSeconds   median ONNX Runtime time of one batch
 * @param medianStatisticsBatchSeconds median statistics time of one batch
 */
public record CalibrationTimings(double dataSeconds, double forwardSeconds, double statisticsSeconds,
                                 double consumerSeconds, double totalSeconds, long batches,
                                 double medianForwardBatchSeconds, double medianStatisticsBatchSeconds) {

    /** Statistics time as a fraction of forward time. */
    public double overheadRatio() {
        return forwardSeconds > 0 ? statisticsSeconds / forwardSeconds : Double.NaN;
    }

    /** The same ratio in the steady state (per-batch medians). */
    public double steadyOverheadRatio() {
        return medianForwardBatchSeconds > 0 ? medianStatisticsBatchSeconds / medianForwardBatchSeconds : Double.NaN;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "data %.2f s, ONNX Runtime %.2f s, statistics %.2f s (%.0f%% of forward; per batch "
                        + "%.1f ms vs %.1f ms = %.0f%% once warm), other %.2f s, total %.2f s",
                dataSeconds, forwardSeconds, statisticsSeconds, 100 * overheadRatio(), 1e3 * medianStatisticsBatchSeconds,
                1e3 * medianForwardBatchSeconds, 100 * steadyOverheadRatio(), consumerSeconds, totalSeconds);
    }
}
