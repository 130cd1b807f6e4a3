package dev.rba.core.stats;

import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.Backends;
import dev.rba.core.linalg.JavaBackend;
import java.util.ArrayList;
import java.util.List;

/**
 * Every backend these tests can open: the naive test backend (an independent second opinion) and the project's
 * pure-Java backend always, plus the native backends ({@code openblas}, {@code cuda}) that {@link Backends#open}
 * can open on this machine.
 *
 * <p>Parameterized tests that take these as arguments set {@code autoCloseArguments = false}: JUnit closes
 * AutoCloseable arguments after each invocation, and the CUDA backend (unlike the CPU ones) cannot be used after
 * that. The test classes close them once, after all tests.
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
                out.add(Backends.open(name).backend());
            } catch (RuntimeException | LinkageError e) {
                // not available on this machine (no library, no GPU): covered by the other backends
            }
        }
        return out;
    }
}
