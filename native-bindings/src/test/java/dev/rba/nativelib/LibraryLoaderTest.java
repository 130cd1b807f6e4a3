package dev.rba.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Library discovery with explicit settings; each test builds its own loader, so the process-wide cache is not involved. */
class LibraryLoaderTest {
    @TempDir
    Path temp;

    @Test
    void missingCudaFolderErrorNamesTheSettingAndEveryPathTried() {
        Path folder = temp.resolve("no-such-cuda");
        LibraryLoader loader = new LibraryLoader(Map.of(LibraryLoader.CUDA_PATH_PROPERTY, folder.toString()), Map.of());
        NativeLibraryUnavailableException e = assertThrows(NativeLibraryUnavailableException.class, loader::loadCublas);
        assertTrue(e.getMessage().contains("rba.cuda.path"), e.getMessage());
        assertTrue(e.getMessage().contains(folder.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertEquals(1, e.tried().size(), e.tried().toString());
    }

    @Test
    void brokenLibraryFileReportsTheLoadersReason() throws IOException {
        Files.writeString(temp.resolve("libcudart.so.13"), "not an ELF file");
        LibraryLoader loader = new LibraryLoader(Map.of(), Map.of(LibraryLoader.CUDA_PATH_ENV, temp.toString()));
        NativeLibraryUnavailableException e = assertThrows(NativeLibraryUnavailableException.class, loader::loadCudart);
        assertTrue(e.getMessage().contains("environment variable RBA_CUDA_PATH"), e.getMessage());
        assertTrue(e.getMessage().contains(temp.resolve("libcudart.so.13").toString()), e.getMessage());
        // dlerror's text, e.g. "invalid ELF header" or "file too short"
        assertTrue(e.tried().getFirst().matches(".*(ELF|too short).*"), e.tried().toString());
    }

    @Test
    void missingOpenblasPathListsIt() {
        Path file = temp.resolve("nowhere").resolve("libopenblas.so.0");
        LibraryLoader loader = new LibraryLoader(Map.of(LibraryLoader.OPENBLAS_PATH_PROPERTY, file.toString()), Map.of());
        NativeLibraryUnavailableException e = assertThrows(NativeLibraryUnavailableException.class, loader::loadOpenblas);
        assertTrue(e.getMessage().contains("rba.openblas.path"), e.getMessage());
        assertTrue(e.getMessage().contains(file + " (system property rba.openblas.path: no such file)"), e.getMessage());
    }

    @Test
    void cudaSearchWithoutSettingListsLdLibraryPathFolders() {
        Path folder = temp.resolve("empty-lib");
        LibraryLoader loader = new LibraryLoader(Map.of(), Map.of("LD_LIBRARY_PATH", folder.toString()));
        try {
            loader.loadCusolver();
            Assumptions.abort("a system cuSOLVER was found, so the failure message cannot be checked here");
        } catch (NativeLibraryUnavailableException e) {
            assertTrue(e.getMessage().contains(folder + " (LD_LIBRARY_PATH: no such folder)"), e.getMessage());
            assertTrue(e.getMessage().contains("libcusolver.so.12 (system loader:"), e.getMessage());
            assertTrue(e.getMessage().contains("RBA_CUDA_PATH"), e.getMessage());
        }
    }

    /** The path CI depends on: no Debian OpenBLAS, only the jar from Maven. */
    @Test
    void bundledOpenblasExtractsOnceAndComputes() throws Throwable {
        Map<String, String> settings = Map.of(LibraryLoader.OPENBLAS_PATH_PROPERTY, "bundled", "rba.cache.dir", temp.toString());
        LibraryLoader loader = new LibraryLoader(settings, Map.of());
        NativeLibrary openblas = loader.loadOpenblas();
        assertTrue(openblas.source().startsWith("bundled"), openblas.toString());
        assertTrue(openblas.path().startsWith(temp.resolve("native").toString()), openblas.path());
        assertTrue(Path.of(openblas.path()).getParent().getFileName().toString().matches("openblas-[0-9a-f]{16}"), openblas.path());
        long modified = Files.getLastModifiedTime(Path.of(openblas.path())).toMillis();
        NativeLibrary again = loader.loadOpenblas();
        assertEquals(openblas.path(), again.path());
        assertEquals(modified, Files.getLastModifiedTime(Path.of(again.path())).toMillis(), "a second load must reuse the extracted file");
        NativeLibrary lapacke = loader.loadLapacke(openblas);
        assertEquals(openblas.path(), lapacke.path(), "the bundled OpenBLAS has LAPACKE built in");
        assertGemmAndCholeskyWork(openblas, lapacke);
    }

    /** Debian's split OpenBLAS + liblapacke.so.3, where installed. */
    @Test
    void systemOpenblasWithSeparateLapacke() throws Throwable {
        LibraryLoader loader = new LibraryLoader(Map.of(LibraryLoader.OPENBLAS_PATH_PROPERTY, "system"), Map.of());
        NativeLibrary openblas;
        try {
            openblas = loader.loadOpenblas();
        } catch (NativeLibraryUnavailableException e) {
            Assumptions.abort("no system OpenBLAS here (" + e.getMessage() + ")");
            return;
        }
        assertEquals("system loader", openblas.source());
        NativeLibrary lapacke;
        try {
            lapacke = loader.loadLapacke(openblas);
        } catch (NativeLibraryUnavailableException e) {
            Assumptions.abort("system OpenBLAS without LAPACKE here (" + e.getMessage() + ")");
            return;
        }
        assertGemmAndCholeskyWork(openblas, lapacke);
    }

    private static void assertGemmAndCholeskyWork(NativeLibrary openblas, NativeLibrary lapacke) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle dgemm = linker.downcallHandle(openblas.find("cblas_dgemm").orElseThrow(), FunctionDescriptor.ofVoid(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_DOUBLE, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_DOUBLE, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        MethodHandle dpotrf = linker.downcallHandle(lapacke.find("LAPACKE_dpotrf").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_BYTE, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            // [[1,2],[3,4]] · [[5,6],[7,8]] = [[19,22],[43,50]]
            MemorySegment a = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 1, 2, 3, 4);
            MemorySegment b = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 5, 6, 7, 8);
            MemorySegment c = arena.allocate(ValueLayout.JAVA_DOUBLE, 4);
            dgemm.invokeExact(101, 111, 111, 2, 2, 2, 1.0, a, 2, b, 2, 0.0, c, 2);
            assertEquals(19.0, c.getAtIndex(ValueLayout.JAVA_DOUBLE, 0));
            assertEquals(22.0, c.getAtIndex(ValueLayout.JAVA_DOUBLE, 1));
            assertEquals(43.0, c.getAtIndex(ValueLayout.JAVA_DOUBLE, 2));
            assertEquals(50.0, c.getAtIndex(ValueLayout.JAVA_DOUBLE, 3));
            // [[4,2],[2,5]] = L L^T with L = [[2,0],[1,2]]
            MemorySegment spd = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 4, 2, 2, 5);
            int info = (int) dpotrf.invokeExact(101, (byte) 'L', 2, spd, 2);
            assertEquals(0, info);
            assertEquals(2.0, spd.getAtIndex(ValueLayout.JAVA_DOUBLE, 0), 1e-15);
            assertEquals(1.0, spd.getAtIndex(ValueLayout.JAVA_DOUBLE, 2), 1e-15);
            assertEquals(2.0, spd.getAtIndex(ValueLayout.JAVA_DOUBLE, 3), 1e-15);
        }
    }
}
