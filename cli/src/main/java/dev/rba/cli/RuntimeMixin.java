package dev.rba.cli;

import dev.rba.onnx.api.RuntimeOptions;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * Where ONNX Runtime runs the model: execution provider and threads ({@code --provider}, {@code --threads}). Mixed in
 * with {@code @Mixin}; commands that also do linear algebra add {@link BackendMixin}.
 */
public final class RuntimeMixin {
    /** ONNX Runtime's execution providers rba can ask for. */
    public enum Provider {
        CPU, CUDA
    }

    @Option(names = "--provider", paramLabel = "cpu|cuda", defaultValue = "cpu", converter = EnumValues.Provider.class,
            description = "ONNX Runtime execution provider that runs the model (default ${DEFAULT-VALUE}). cuda needs ONNX Runtime's GPU build (artifact onnxruntime_gpu, CUDA 12, cuDNN 9) on the class path.")
    Provider provider;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "ONNX Runtime intra-op threads (default 0: one per core).")
    int threads;

    /** ONNX Runtime session options from --provider and --threads; checks up front that the provider exists. */
    public RuntimeOptions runtimeOptions() {
        if (threads < 0) throw new IllegalArgumentException("--threads must be 0 (ONNX Runtime's default) or positive, got " + threads);
        boolean cuda = provider == Provider.CUDA;
        if (cuda && !RuntimeOptions.cudaProviderAvailable()) {
            throw new IllegalArgumentException("--provider cuda: this rba carries ONNX Runtime's CPU build, whose CUDA provider is "
                    + "missing; put com.microsoft.onnxruntime:onnxruntime_gpu (CUDA 12, cuDNN 9) on the class path, or use --provider cpu");
        }
        return RuntimeOptions.defaults().withThreads(threads).withCuda(cuda);
    }

    /** The provider as given, lower case (for reports). */
    public String provider() {
        return provider.name().toLowerCase(Locale.ROOT);
    }
}
