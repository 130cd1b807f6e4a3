package dev.rba.core.pipeline;

import dev.rba.core.data.FixedBatch;

/**
 * The number of samples per ONNX Runtime run when the user gives none, chosen from the memory one batch's captured
 * residual-stream tensors need: at most {@link #CAPTURE_BUDGET} bytes for every h_k a pass captures, at most
 * {@link #MAX_BATCH} samples, at least one. So the capture buffers of a pass stay within the budget whatever the
 * model's width, token count or number of blocks (an analysis of a 32-block d=1280 ViT-H with 257 tokens captures
 * 33 tensors of 1.3 MB per sample: 6 samples per run; {@code approximate --replace} on a ViT-B captures 2: 32).
 * What ONNX Runtime itself holds for a batch (its own activations) grows with the batch too, at the same rate.
 */
public final class BatchSizing {
    /** Bytes the captured h_k of one batch may take (float32 after conversion). */
    public static final long CAPTURE_BUDGET = 256L << 20;
    /** Larger batches were not faster on 2 or 16 cores; 32 was the fixed size before. */
    public static final int MAX_BATCH = 32;

    private BatchSizing() {
    }

    /**
     * Samples per run for a pass that captures {@code streams} tensors of {@code tokens} x {@code d}; a token count
     * that is unknown until run time ({@code tokens <= 0}, text models) gives {@link #MAX_BATCH}.
     */
    public static int forCapture(int streams, long tokens, long d) {
        if (streams <= 0 || tokens <= 0 || d <= 0) return MAX_BATCH;
        long perSample = (long) streams * tokens * d * Float.BYTES;
        return (int) Math.max(1, Math.min(MAX_BATCH, CAPTURE_BUDGET / perSample));
    }

    /**
     * Samples per run for a pass that captures {@code streams} residual-stream tensors of {@code model} (1 where
     * the model fixes its batch at 1).
     */
    public static int forCapture(int streams, LoadedModel model) {
        return forModel(forCapture(streams, model.tokens(), model.d()), model);
    }

    /**
     * {@code requested} samples per run, or 1 where {@code model}'s inputs fix the batch at 1 ({@link FixedBatch}):
     * every pass over a model takes its batch size from here, whatever the user or a default asked for.
     */
    public static int forModel(int requested, LoadedModel model) {
        return FixedBatch.samplesPerRun(requested, model.inputSpecs());
    }

    /** Bytes of one batch's captured tensors at that batch size (what {@link #forCapture} keeps within the budget). */
    public static long captureBytes(int batch, int streams, long tokens, long d) {
        return (long) batch * streams * Math.max(0, tokens) * d * Float.BYTES;
    }
}
