package dev.rba.cli;

import dev.rba.core.linalg.BackendSelection;
import dev.rba.core.linalg.Backends;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * The linear-algebra backend of the statistics and fits ({@code --backend}): only for the commands that compute them
 * (analyze, approximate). Mixed in with {@code @Mixin}.
 */
public final class BackendMixin {
    @Option(names = "--backend", paramLabel = "auto|cuda|openblas|java", converter = OptionValues.BackendName.class,
            description = "Linear-algebra backend for the statistics and fits (default auto: cuda, else openblas, else java; or the rba.backend system property). 'rba doctor' shows what is available.")
    String backend;

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

}
