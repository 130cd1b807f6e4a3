package dev.rba.core.linalg;

import org.junit.jupiter.api.Assumptions;

/** The CUDA backend (fp32, no TF32) against the Java reference; skipped with a printed reason where no GPU answers. */
class CudaBackendTest extends BackendContractTest {

    @Override
    Backend open() {
        return openCudaOrSkip(false);
    }

    static Backend openCudaOrSkip(boolean tf32) {
        try {
            return new CudaBackend(tf32);
        } catch (RuntimeException | LinkageError e) {
            String reason = "CUDA backend tests skipped: " + Backends.oneLine(e);
            System.out.println(reason);
            Assumptions.assumeTrue(false, reason);
            return null;
        }
    }
}
