package dev.rba.core.linalg;

/**
 * The pure-Java backend through the same contract as the native ones (its closed-form and exact-reference checks of
 * its own are {@link JavaBackendTest}); the reference it is compared with is another instance of itself.
 */
class JavaBackendContractTest extends BackendContractTest {

    @Override
    Backend open() {
        return new JavaBackend(2);
    }
}
