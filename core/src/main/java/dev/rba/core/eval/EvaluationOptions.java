package dev.rba.core.eval;

/**
 * How to evaluate.
 *
 * @param limit          evaluate at most this many samples, the first ones of the data (0: all)
 * @param batchSize      samples per ONNX Runtime run, for the accuracy pass and the latency batch alike
 *                       (1 where a model fixes its batch at 1)
 * @param latencyWarmup  untimed runs of each model before timing (first runs pay for allocations and caches)
 * @param latencyRepeats timed runs of each model on the latency batch (0: no latency measurement)
 * @param threads        ONNX Runtime intra-op threads for both models (0: ORT's default, one per core)
 * @param output         the model output to compare (null: the model's first output)
 * @param cuda           run both models with ONNX Runtime's CUDA execution provider (needs its GPU build), else CPU
 */
public record EvaluationOptions(int limit, int batchSize, int latencyWarmup, int latencyRepeats, int threads, String output,
                                boolean cuda) {
    public static final int DEFAULT_BATCH_SIZE = 32;
    public static final int DEFAULT_WARMUP = 3;
    public static final int DEFAULT_REPEATS = 20;

    public EvaluationOptions {
        if (limit < 0) throw new IllegalArgumentException("the sample limit must be 0 (all samples) or positive, got " + limit);
        if (batchSize <= 0) throw new IllegalArgumentException("the batch size must be positive, got " + batchSize);
        if (latencyWarmup < 0) throw new IllegalArgumentException("latency warm-up runs must be 0 or more, got " + latencyWarmup);
        if (latencyRepeats < 0) throw new IllegalArgumentException("latency repeats must be 0 (no timing) or more, got " + latencyRepeats);
        if (threads < 0) throw new IllegalArgumentException("threads must be 0 (ONNX Runtime's default) or positive, got " + threads);
    }

    public static EvaluationOptions defaults() {
        return new EvaluationOptions(0, DEFAULT_BATCH_SIZE, DEFAULT_WARMUP, DEFAULT_REPEATS, 0, null, false);
    }

    public EvaluationOptions withLimit(int n) {
        return new EvaluationOptions(n, batchSize, latencyWarmup, latencyRepeats, threads, output, cuda);
    }

    public EvaluationOptions withBatchSize(int n) {
        return new EvaluationOptions(limit, n, latencyWarmup, latencyRepeats, threads, output, cuda);
    }

    public EvaluationOptions withLatency(int warmup, int repeats) {
        return new EvaluationOptions(limit, batchSize, warmup, repeats, threads, output, cuda);
    }

    public EvaluationOptions withThreads(int n) {
        return new EvaluationOptions(limit, batchSize, latencyWarmup, latencyRepeats, n, output, cuda);
    }

    public EvaluationOptions withCuda(boolean useCuda) {
        return new EvaluationOptions(limit, batchSize, latencyWarmup, latencyRepeats, threads, output, useCuda);
    }

    public EvaluationOptions withOutput(String name) {
        return new EvaluationOptions(limit, batchSize, latencyWarmup, latencyRepeats, threads, name, cuda);
    }
}
