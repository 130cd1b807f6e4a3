package dev.rba.onnx.runtime;

/**
 * How ONNX Runtime sessions are set up: {@code threads} intra-op threads (0 = ORT's default, one per core), the graph
 * optimization level ORT applies when it loads the model, and whether the CUDA execution provider runs the model
 * (device 0; it needs ORT's GPU build, {@code onnxruntime_gpu}, on the class path), else the CPU provider.
 */
public record RuntimeOptions(int threads, boolean optimize, boolean cuda) {
    public RuntimeOptions {
        if (threads < 0) throw new IllegalArgumentException("threads must be 0 (ORT default) or positive, got " + threads);
    }

    /** CPU execution provider. */
    public RuntimeOptions(int threads, boolean optimize) {
        this(threads, optimize, false);
    }

    public static RuntimeOptions defaults() {
        return new RuntimeOptions(0, true, false);
    }

    public RuntimeOptions withThreads(int n) {
        return new RuntimeOptions(n, optimize, cuda);
    }

    public RuntimeOptions withCuda(boolean useCuda) {
        return new RuntimeOptions(threads, optimize, useCuda);
    }
}
