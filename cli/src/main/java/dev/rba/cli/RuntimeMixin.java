package dev.rba.cli;

import dev.rba.onnx.api.RuntimeOptions;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * Where ONNX Runtime runs the model: execution provider and threads ({@code --provider}, {@code --threads}). Mixed in
 * with {@code @Mixin}; commands that also do linear algebra add {@link BackendMixin}.
 */
public final class RuntimeMixin {
    @Option(names = "--provider", paramLabel = "cpu|cuda", defaultValue = "cpu",
            description = "ONNX Runtime execution provider that runs the model (default ${DEFAULT-VALUE}). cuda needs ONNX Runtime's GPU build (artifact onnxruntime_gpu, CUDA 12, cuDNN 9) on the class path.")
    String provider;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "ONNX Runtime intra-op threads (default 0: one per core).")
    int threads;

    /** ONNX Runtime session options from --provider and --threads; checks up front that the provider exists. */
    public RuntimeOptions runtimeOptions() {
        if (threads < 0) throw new IllegalArgumentException("--threads must be 0 (ONNX Runtime's default) or positive, got " + threads);
        boolean cuda = switch (provider.strip().toLowerCase(Locale.ROOT)) {
            case "cpu" -> false;
            case "cuda" -> true;
            default -> throw new IllegalArgumentException("--provider must be cpu or cuda, got '" + provider + "'");
        };
        if (cuda && !RuntimeOptions.cudaProviderAvailable()) {
            throw new IllegalArgumentException("--provider cuda: this rba carries ONNX Runtime's CPU build, whose CUDA provider is "
                    + "missing; put com.microsoft.onnxruntime:onnxruntime_gpu (CUDA 12, cuDNN 9) on the class path, or use --provider cpu");
        }
        return RuntimeOptions.defaults().withThreads(threads).withCuda(cuda);
    }

    /** The provider as given, lower case (for reports). */
    public String provider() {
        return provider.strip().toLowerCase(Locale.ROOT);
    }
}
