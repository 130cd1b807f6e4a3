package dev.rba.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rba.nativelib.cblas.cblas_h;
import dev.rba.nativelib.cublas.cublas_api_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What cmake/GenerateBindings.cmake changes in jextract's output: symbols come from the project's loader, so a missing
 * library fails each call with NativeLibraryUnavailableException (jextract's own lookup would fail the class's
 * initialisation, and every later use with NoClassDefFoundError), and constants are fields.
 */
class GeneratedBindingsTest {
    @Test
    void withoutCublasEveryCallThrowsUnavailableAndTheClassStaysUsable() {
        assumeTrue(missing(NativeLibraries::cublas), "libcublas is present here; this checks a machine without it");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = arena.allocate(ValueLayout.ADDRESS);
            for (int attempt = 0; attempt < 2; attempt++) {
                NativeLibraryUnavailableException e = assertThrows(NativeLibraryUnavailableException.class,
                        () -> cublas_api_h.cublasCreate_v2(handle));
                assertTrue(e.getMessage().contains("cublasCreate_v2"), e.getMessage());
            }
            assertThrows(NativeLibraryUnavailableException.class, cublas_api_h::cublasSgemm_v2$address);
            assertEquals(1, cublas_api_h.CUBLAS_OP_T);
            assertEquals(1, cublas_api_h.CUBLAS_OP_T());
        }
    }

    private static boolean missing(Supplier<NativeLibrary> library) {
        try {
            library.get();
            return false;
        } catch (NativeLibraryUnavailableException e) {
            return true;
        }
    }

    @Test
    void generatedAccessorsResolveThroughTheLoadedOpenblas() {
        MemorySegment address = cblas_h.cblas_dgemm$address();
        assertEquals(NativeLibraries.openblas().find("cblas_dgemm").orElseThrow(), address);
        assertTrue(cblas_h.openblas_get_num_threads() >= 1);
        assertEquals(101, cblas_h.CblasRowMajor);
    }
}
