package dev.rba.nativelib.cuda;

import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test of one CUDA library through its handle (cuBLAS, cuSOLVER): each test gets a fresh {@link Gpu} and handle,
 * and both are released after it, the handle first; the test is skipped without the library or a GPU.
 */
abstract class LibraryHandleTest {
    private final Supplier<?> library;
    private final Consumer<MemorySegment> create;
    private final Consumer<MemorySegment> destroy;
    Gpu gpu;
    MemorySegment handle;

    /**
     * @param library loads the library (e.g. NativeLibraries::cublas)
     * @param create  fills the handle slot it is given, its status checked (e.g. cublasCreate_v2)
     * @param destroy destroys the handle, its status checked
     */
    LibraryHandleTest(Supplier<?> library, Consumer<MemorySegment> create, Consumer<MemorySegment> destroy) {
        this.library = library;
        this.create = create;
        this.destroy = destroy;
    }

    @BeforeEach
    void createHandle() {
        gpu = Gpu.forLibrary(library);
        handle = gpu.newHandle(create, destroy);
    }

    @AfterEach
    void releaseGpu() {
        if (gpu != null) {
            gpu.close();
        }
    }
}
