package dev.rba.core.linalg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Picks a backend. Choices: {@code auto}, {@code cuda}, {@code openblas}, {@code java}. {@code auto} walks the
 * fallback chain cuda -> openblas -> java: cuda only when its libraries load AND a device answers (a context, a
 * cuBLAS and a cuSOLVER handle are created), openblas when CBLAS and LAPACKE load, java always.
 *
 * <p>Precedence: an explicit {@code choice} argument (the CLI's {@code --backend}); when it is null or blank, the
 * system property {@value #PROPERTY}; else {@code auto}. So the CLI should pass null when the user gave no option.
 * An explicit backend that cannot be opened throws {@link BackendUnavailableException} with the loader's message.
 */
public final class Backends {

    public static final String PROPERTY = "rba.backend";
    public static final List<String> CHOICES = List.of("auto", CudaBackend.NAME, OpenBlasBackend.NAME, JavaBackend.NAME);

    private Backends() {
    }

    /** {@link #open(String)} with no explicit choice: the system property, else auto. */
    public static BackendSelection open() {
        return open(null);
    }

    public static BackendSelection open(String choice) {
        String requested = resolveChoice(choice);
        List<BackendSelection.Candidate> lines = new ArrayList<>();
        if (!requested.equals("auto")) {
            Backend b = openExplicit(requested);
            lines.add(new BackendSelection.Candidate(requested, true, "requested explicitly; " + b.detail()));
            return new BackendSelection(b, requested, lines);
        }
        for (String name : List.of(CudaBackend.NAME, OpenBlasBackend.NAME)) {
            try {
                Backend b = constructor(name).get();
                lines.add(new BackendSelection.Candidate(name, true, b.detail()));
                return new BackendSelection(b, requested, lines);
            } catch (RuntimeException | LinkageError e) {
                lines.add(new BackendSelection.Candidate(name, false, oneLine(e)));
            }
        }
        JavaBackend java = new JavaBackend();
        lines.add(new BackendSelection.Candidate(JavaBackend.NAME, true, "last fallback; " + java.detail()));
        return new BackendSelection(java, requested, lines);
    }

    /** The effective choice (lower case) from the argument, the system property, or auto; unknown names throw. */
    public static String resolveChoice(String choice) {
        String c = choice;
        String from = "option";
        if (c == null || c.isBlank()) {
            c = System.getProperty(PROPERTY);
            from = "system property " + PROPERTY;
        }
        if (c == null || c.isBlank()) {
            return "auto";
        }
        c = c.strip().toLowerCase(Locale.ROOT);
        if (!CHOICES.contains(c)) {
            throw new IllegalArgumentException("unknown backend '" + c + "' (from " + from + "): use one of " + String.join(", ", CHOICES));
        }
        return c;
    }

    private static Backend openExplicit(String name) {
        try {
            return constructor(name).get();
        } catch (RuntimeException | LinkageError e) {
            throw new BackendUnavailableException(name, oneLine(e) + "; choose another backend with --backend or -D" + PROPERTY
                    + " (auto falls back to java)", e);
        }
    }

    private static Supplier<Backend> constructor(String name) {
        return switch (name) {
            case CudaBackend.NAME -> CudaBackend::new;
            case OpenBlasBackend.NAME -> OpenBlasBackend::new;
            case JavaBackend.NAME -> JavaBackend::new;
            default -> throw new IllegalArgumentException("unknown backend '" + name + "': use one of " + String.join(", ", CHOICES));
        };
    }

    /** Every backend for {@code rba doctor}: opens each one briefly (and closes it) to report what works. */
    public static List<BackendInfo> describeAll() {
        List<BackendInfo> infos = new ArrayList<>();
        try (CudaBackend cuda = new CudaBackend()) {
            infos.add(new BackendInfo(CudaBackend.NAME, true, cuda.detail(), cuda.deviceName(), cuda.deviceMemoryBytes()));
        } catch (RuntimeException | LinkageError e) {
            infos.add(new BackendInfo(CudaBackend.NAME, false, oneLine(e), null, 0));
        }
        try (OpenBlasBackend blas = new OpenBlasBackend()) {
            infos.add(new BackendInfo(OpenBlasBackend.NAME, true, blas.detail(), null, 0));
        } catch (RuntimeException | LinkageError e) {
            infos.add(new BackendInfo(OpenBlasBackend.NAME, false, oneLine(e), null, 0));
        }
        try (JavaBackend java = new JavaBackend()) {
            infos.add(new BackendInfo(JavaBackend.NAME, true, java.detail(), null, 0));
        }
        return infos;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl) + " ...";
    }
}
