package dev.rba.cli;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.rba.core.linalg.BackendSelection;
import dev.rba.core.linalg.Backends;
import dev.rba.onnx.runtime.RuntimeOptions;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Where the work runs: the linear-algebra backend of the statistics and fits ({@code --backend}) and ONNX Runtime's
 * execution provider and threads ({@code --provider}, {@code --threads}). Mixed in with {@code @Mixin}.
 */
public final class RuntimeMixin {
    @Option(names = "--backend", paramLabel = "auto|cuda|openblas|java",
            description = "Linear-algebra backend for the statistics and fits (default auto: cuda, else openblas, else java; or the rba.backend system property). 'rba doctor' shows what is available.")
    String backend;

    @Option(names = "--provider", paramLabel = "cpu|cuda", defaultValue = "cpu",
            description = "ONNX Runtime execution provider that runs the model (default ${DEFAULT-VALUE}). cuda needs ONNX Runtime's GPU build (artifact onnxruntime_gpu, CUDA 12, cuDNN 9) on the class path.")
    String provider;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "ONNX Runtime intra-op threads (default 0: one per core).")
    int threads;

    /**
     * Opens the backend and, unless {@code quiet}, says on {@code err} which one runs and why. The caller owns the
     * returned selection's backend and closes it.
     */
    public BackendSelection openBackend(PrintWriter err, boolean quiet) {
        BackendSelection sel = Backends.open(backend);
        if (!quiet) {
            err.println("rba: " + (CommonOptions.verboseErrors ? sel.summary() : shortSummary(sel)));
            err.flush();
        }
        return sel;
    }

    /** e.g. "backend openblas (requested auto; cuda skipped: libcublas (CUDA) was not found)"; --verbose shows all. */
    static String shortSummary(BackendSelection sel) {
        StringBuilder sb = new StringBuilder("backend ").append(sel.backend().name()).append(" (requested ").append(sel.requested());
        for (BackendSelection.Candidate c : sel.candidates()) {
            if (c.chosen()) continue;
            String why = c.reason();
            int cut = why.length();
            for (char stop : new char[] {':', ';'}) {
                int i = why.indexOf(stop, 10);
                if (i > 0) cut = Math.min(cut, i);
            }
            sb.append("; ").append(c.name()).append(" skipped: ").append(why.substring(0, Math.min(cut, 100)).strip());
        }
        return sb.append(")").toString();
    }

    /** ONNX Runtime session options from --provider and --threads; checks up front that the provider exists. */
    public RuntimeOptions runtimeOptions() {
        if (threads < 0) throw new IllegalArgumentException("--threads must be 0 (ONNX Runtime's default) or positive, got " + threads);
        boolean cuda = switch (provider.strip().toLowerCase(Locale.ROOT)) {
            case "cpu" -> false;
            case "cuda" -> true;
            default -> throw new IllegalArgumentException("--provider must be cpu or cuda, got '" + provider + "'");
        };
        if (cuda && !OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
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
