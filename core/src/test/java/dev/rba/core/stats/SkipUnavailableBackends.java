package dev.rba.core.stats;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.Method;

/**
 * Skips, with the reason, each parameterized invocation that gets a backend {@link TestBackends#available} could not
 * open on this machine, so that a machine without a GPU shows its CUDA cases as skipped in the test report.
 */
public final class SkipUnavailableBackends implements InvocationInterceptor {
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
