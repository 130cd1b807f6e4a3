package dev.rba.core.linalg;

/** The CUDA backend with TF32 products; tolerances widened by the TF32 input rounding (see inputRounding()). */
class CudaTf32BackendTest extends BackendContractTest {

    @Override
    Backend open() {
        return CudaBackendTest.openCudaOrSkip(true);
    }

    @Override
    double inputRounding() {
        return Math.pow(2, -11);
    }
}
