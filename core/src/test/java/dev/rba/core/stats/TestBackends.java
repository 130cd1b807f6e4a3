package dev.rba.core.stats;

import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.Backends;
import dev.rba.core.linalg.JavaBackend;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Every backend these tests know: the naive test backend (an independent second opinion) and the project's pure-Java
 * backend always, plus the native backends ({@code openblas}, {@code cuda}). A native backend that
 * {@link Backends#open} cannot open on this machine (no library, no GPU) is still in the list, as a placeholder that
 * says why: test classes that take these as arguments are annotated {@code @ExtendWith(ClassBackends.class)},
 * which reports each invocation with the placeholder as skipped, with the reason, instead of dropping it unseen.
 *
 * <p>Parameterized tests that take these as arguments set {@code autoCloseArguments = false}: JUnit closes
 * AutoCloseable arguments after each invocation, and the CUDA backend (unlike the CPU ones) cannot be used after
 * that. {@link ClassBackends} closes them once, after all tests of a class.
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
                out.add(unavailable(name, firstLine(e)));
            }
        }
        return out;
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Why {@code argument} is a backend that could not be opened here, or null when it is a real one. */
    static String unavailableReason(Object argument) {
        if (argument instanceof Backend b && Proxy.isProxyClass(b.getClass())
                && Proxy.getInvocationHandler(b) instanceof Unavailable u) {
            return u.name + " backend unavailable here: " + u.reason;
        }
        return null;
    }

    /** A placeholder named like the backend; closing it does nothing, and any other use is a test bug. */
    private static Backend unavailable(String name, String reason) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                new Unavailable(name, reason));
    }

    private record Unavailable(String name, String reason) implements java.lang.reflect.InvocationHandler {
        @Override
        public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) {
            return switch (method.getName()) {
                case "name", "toString" -> name;
                case "close" -> null;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> throw new IllegalStateException(name + " backend unavailable here (" + reason
                        + "): a test used it without @ExtendWith(ClassBackends.class)");
            };
        }
    }
}
