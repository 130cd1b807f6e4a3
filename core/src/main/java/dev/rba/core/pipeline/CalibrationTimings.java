package dev.rba.core.pipeline;

import java.util.Locale;

/**
 * Where a calibration pass spent its wall time, in seconds: loading and preprocessing data, ONNX Runtime's forward
 * passes (including writing h_k into the capture buffers), accumulating statistics, and the output consumer.
 * The "analysis overhead" target is {@code statistics < forward}.
 */
public record CalibrationTimings(double dataSeconds, double forwardSeconds, double statisticsSeconds,
                                 double consumerSeconds, double totalSeconds) {

    /** Statistics time as a fraction of forward time. */
    public double overheadRatio() {
        return forwardSeconds > 0 ? statisticsSeconds / forwardSeconds : Double.NaN;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "data %.2f s, ONNX Runtime %.2f s, statistics %.2f s (%.0f%% of forward), other %.2f s, total %.2f s",
                dataSeconds, forwardSeconds, statisticsSeconds, 100 * overheadRatio(), consumerSeconds, totalSeconds);
    }
}
