package dev.rba.onnx.api;

/**
 * How ONNX Runtime sessions are set up: {@code threads} intra-op threads (0 = ORT's default, one per core), the graph
 * optimization level ORT applies when it loads the model, whether the CUDA execution provider runs the model
 * (device 0; it needs ORT's GPU build, {@code onnxruntime_gpu}, on the class path) rather than the CPU provider, and
 * whether ORT's intra-op threads spin-wait for work after a run ({@code spinning}, ORT's default). Spinning lowers the
 * latency of back-to-back runs, but where Java work on the same cores follows every run (statistics of captured
 * activations) the spinning threads only take CPU time from it.
 */
public record RuntimeOptions(int threads, boolean optimize, boolean cuda, boolean spinning) {
    /** ORT session config key that turns spin-waiting of intra-op threads on ("1") or off ("0"). */
    public static final String SPINNING_KEY = "session.intra_op.allow_spinning";

    public RuntimeOptions {
        if (threads < 0) throw new IllegalArgumentException("threads must be 0 (ORT default) or positive, got " + threads);
    }

    /** CPU execution provider, ORT's spinning default. */
    public RuntimeOptions(int threads, boolean optimize) {
        this(threads, optimize, false, true);
    }

    /** Whether the ONNX Runtime on the class path has the CUDA execution provider (its GPU build). */
    public static boolean cudaProviderAvailable() {
        return ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA);
    }

    public static RuntimeOptions defaults() {
        return new RuntimeOptions(0, true, false, true);
    }

    public RuntimeOptions withThreads(int n) {
        return new RuntimeOptions(n, optimize, cuda, spinning);
    }

    public RuntimeOptions withCuda(boolean useCuda) {
        return new RuntimeOptions(threads, optimize, useCuda, spinning);
    }
}
