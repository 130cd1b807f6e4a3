package dev.rba.core.pipeline;

import java.util.Locale;

/**
 * Where a calibration pass spent its wall time, in seconds: creating the ONNX Runtime session, loading and
 * preprocessing data, ONNX Runtime's forward passes (including writing h_k into the capture buffers), copying
 * activations out of those buffers into fp32 where ORT wrote another type, accumulating statistics, and the output
 * consumer. The parts add up to the total.
 * The "analysis overhead" target is {@code statistics < forward}.
 *
 * <p>The first batches of a run also pay for the JIT compiling the statistics kernels (about a second or two on a
 * small CPU) and for starting worker threads; on a small model with few batches that one-off cost dominates. The
 * median per-batch times show the steady state that a long calibration run converges to.
 *
 * @param sessionSeconds              creating the ONNX Runtime session (serialising the exposed model, ORT's load,
 *                                    graph optimisation and weight pre-packing)
 * @param forwardSeconds              ONNX Runtime's runs (binding inputs included), session creation not
 * @param copyOutSeconds              converting captured activations to fp32 (0 when ORT writes fp32)
 * @param batches                     batches run
 * @param medianForwardBatchSeconds   median ONNX Runtime time of one batch
 * @param medianStatisticsBatchSeconds median statistics time of one batch
 */
public record CalibrationTimings(double sessionSeconds, double dataSeconds, double forwardSeconds,
                                 double copyOutSeconds, double statisticsSeconds,
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
        return String.format(Locale.ROOT, "session %.2f s, data %.2f s, ONNX Runtime %.2f s, copy-out %.2f s, statistics %.2f s "
                        + "(%.0f%% of forward; per batch %.1f ms vs %.1f ms = %.0f%% once warm), other %.2f s, total %.2f s",
                sessionSeconds, dataSeconds, forwardSeconds, copyOutSeconds, statisticsSeconds, 100 * overheadRatio(),
                1e3 * medianStatisticsBatchSeconds,
                1e3 * medianForwardBatchSeconds, 100 * steadyOverheadRatio(), consumerSeconds, totalSeconds);
    }

    /** Adds the pass's parts to {@code times} as "STAGE session", "STAGE ORT run", ... (zero parts left out). */
    public void addTo(StageTimes times, String stage) {
        times.addSeconds(stage + " session", sessionSeconds);
        if (dataSeconds > 0) times.addSeconds(stage + " data", dataSeconds);
        times.addSeconds(stage + " ORT run", forwardSeconds);
        if (copyOutSeconds > 0) times.addSeconds(stage + " copy-out", copyOutSeconds);
        if (statisticsSeconds > 0) times.addSeconds(stage + " statistics", statisticsSeconds);
        if (consumerSeconds > 0) times.addSeconds(stage + " outputs", consumerSeconds);
    }

}
