package dev.rba.core.stats;

import dev.rba.core.linalg.Backend;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.TestAbortedException;

/**
 * The backends of one test class ({@code @ExtendWith(ClassBackends.class)}): {@link TestBackends#available()} opened
 * once, on first use, handed to any parameter of type {@link Opened} (a {@code @MethodSource} factory's included,
 * e.g. {@code @MethodSource("dev.rba.core.stats.ClassBackends#all")}), and closed when the class is done. Each
 * parameterized invocation that gets a backend this machine could not open is skipped with the reason, so that a
 * machine without a GPU shows its CUDA cases as skipped in the test report.
 */
public final class ClassBackends implements ParameterResolver, InvocationInterceptor {

    /** The opened backends, closed by JUnit with the class's extension context (a store value that is AutoCloseable). */
    public record Opened(List<Backend> list) implements AutoCloseable {
        @Override
        public void close() {
            list.forEach(Backend::close);
        }
    }

    /** The factory for tests that take one backend: {@code @MethodSource("dev.rba.core.stats.ClassBackends#all")}. */
    public static List<Backend> all(Opened backends) {
        return backends.list();
    }

    /**
     * A test run once per backend of {@link #all}, named by the backend; the arguments are not closed after each
     * invocation because the class owns the backends ({@link Opened}).
     */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("dev.rba.core.stats.ClassBackends#all")
    public @interface EachBackend {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Opened.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()) classContext = classContext.getParent().orElseThrow();
        return classContext.getStore(ExtensionContext.Namespace.create(ClassBackends.class))
                .getOrComputeIfAbsent(Opened.class, key -> new Opened(TestBackends.available()), Opened.class);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                            ExtensionContext extension) throws Throwable {
        for (Object argument : context.getArguments()) {
            String reason = TestBackends.unavailableReason(argument);
            if (reason != null) {
                invocation.skip();
                throw new TestAbortedException(reason);
            }
        }
        invocation.proceed();
    }
}
