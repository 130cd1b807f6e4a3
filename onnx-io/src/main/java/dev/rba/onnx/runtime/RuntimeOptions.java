package dev.rba.onnx.runtime;

/**
 * How ONNX Runtime sessions are set up: CPU execution provider, {@code threads} intra-op threads (0 = ORT's default,
 * one per core), and the graph optimization level ORT applies when it loads the model.
 */
public record RuntimeOptions(int threads, boolean optimize) {
    public RuntimeOptions {
        if (threads < 0) throw new IllegalArgumentException("threads must be 0 (ORT default) or positive, got " + threads);
    }

    public static RuntimeOptions defaults() {
        return new RuntimeOptions(0, true);
    }

    public RuntimeOptions withThreads(int n) {
        return new RuntimeOptions(n, optimize);
    }
}
