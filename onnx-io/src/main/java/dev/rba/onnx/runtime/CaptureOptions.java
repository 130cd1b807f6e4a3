package dev.rba.onnx.runtime;
import dev.rba.onnx.api.RuntimeOptions;

/**
 * Options of an {@link ActivationCapture}: samples per batch, the ORT session options, and the name of the input
 * whose zeros mark padded tokens ({@code null}: the input that gates the attention scores, found from the graph by
 * {@link PaddingMask#find}; {@code "none"}: no mask).
 */
public record CaptureOptions(int batchSize, RuntimeOptions runtime, String maskInput) {
    public CaptureOptions {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        if (runtime == null) runtime = RuntimeOptions.defaults();
    }

    public static CaptureOptions batchSize(int n) {
        return new CaptureOptions(n, RuntimeOptions.defaults(), null);
    }

    public CaptureOptions withThreads(int threads) {
        return new CaptureOptions(batchSize, runtime.withThreads(threads), maskInput);
    }

    public CaptureOptions withMaskInput(String name) {
        return new CaptureOptions(batchSize, runtime, name);
    }
}
