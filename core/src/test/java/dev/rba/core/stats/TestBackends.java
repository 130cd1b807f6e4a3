package dev.rba.core.stats;

import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.JavaBackend;
import java.util.ArrayList;
import java.util.List;

/**
 * Every backend these tests can open: the naive test backend and the project's pure-Java backend always, plus the
 * native backends ({@code openblas}, {@code cuda}) that {@code Backends.open} provides on this machine.
 */
public final class TestBackends {

    private TestBackends() {
    }

    public static List<Backend> available() {
        List<Backend> out = new ArrayList<>();
        out.add(new NaiveTestBackend());
        out.add(new JavaBackend(1));
        for (String name : List.of("openblas", "cuda")) {
            try {
                // Reflective so that these tests compile while the backends are still being written.
                Class<?> backends = Class.forName("dev.rba.core.linalg.Backends");
                Object opened = backends.getMethod("open", String.class).invoke(null, name);
                out.add(opened instanceof Backend b ? b
                        : (Backend) opened.getClass().getMethod("backend").invoke(opened));
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // not built or not available on this machine
            }
        }
        return out;
    }
}
