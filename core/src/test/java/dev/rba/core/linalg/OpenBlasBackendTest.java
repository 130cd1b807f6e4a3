package dev.rba.core.linalg;

/**
 * The OpenBLAS backend against the Java reference. Never skipped: the Maven artifact org.bytedeco:openblas bundles
 * libopenblas with LAPACKE, so every machine that builds rba has it; a failure to open is a test failure.
 */
class OpenBlasBackendTest extends BackendContractTest {

    @Override
    Backend open() {
        return new OpenBlasBackend();
    }
}
