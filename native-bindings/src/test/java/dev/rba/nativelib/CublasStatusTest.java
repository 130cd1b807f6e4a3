package dev.rba.nativelib;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** cublasStatus_t names and advice, as cublas_api.h numbers them; no GPU needed. */
class CublasStatusTest {

    @Test
    void namesFollowTheHeader() {
        assertEquals("CUBLAS_STATUS_SUCCESS", CublasStatus.name(0));
        assertEquals("CUBLAS_STATUS_INVALID_VALUE", CublasStatus.name(7));
        assertEquals("CUBLAS_STATUS_LICENSE_ERROR", CublasStatus.name(16));
        assertEquals("CUBLAS_STATUS_UNKNOWN", CublasStatus.name(2));
    }

    @Test
    void failuresNameTheFunctionTheStatusAndTheAdvice() {
        assertDoesNotThrow(() -> CublasStatus.check("cublasSgemm_v2", 0));
        NativeCallException e = assertThrows(NativeCallException.class, () -> CublasStatus.check("cublasSgemm_v2", 3));
        assertEquals("cublasSgemm_v2 failed: CUBLAS_STATUS_ALLOC_FAILED (3): GPU memory is exhausted", e.getMessage());
        e = assertThrows(NativeCallException.class, () -> CublasStatus.check("cublasSgemm_v2", 13));
        assertEquals("cublasSgemm_v2 failed: CUBLAS_STATUS_EXECUTION_FAILED (13)", e.getMessage());
    }
}
