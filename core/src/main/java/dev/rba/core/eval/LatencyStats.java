package dev.rba.core.eval;

import java.util.Arrays;

/**
 * ONNX Runtime wall time of one model on one fixed batch, over {@code repeats} timed runs after {@code warmup}
 * untimed ones. A run includes binding the input tensors and copying the output out, as any caller pays.
 */
public record LatencyStats(int batchSize, int warmup, int repeats, double medianMs, double p90Ms, double minMs, double meanMs) {

    /** Statistics of run times given in nanoseconds. p90 is the nearest-rank 90th percentile. */
    public static LatencyStats of(int batchSize, int warmup, long[] nanos) {
        if (nanos.length == 0) throw new IllegalArgumentException("no timed runs to summarise");
        long[] s = nanos.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
        long p90 = s[Math.max(0, (int) Math.ceil(0.9 * n) - 1)];
        double sum = 0;
        for (long v : s) sum += v;
        return new LatencyStats(batchSize, warmup, n, median / 1e6, p90 / 1e6, s[0] / 1e6, sum / n / 1e6);
    }

    /** Median time per sample in milliseconds. */
    public double medianMsPerSample() {
        return medianMs / batchSize;
    }
}
