package dev.rba.nativelib;

import java.util.function.Supplier;

/**
 * The process-wide libraries, each loaded at most once (on first use) with the default {@link LibraryLoader}
 * (System properties and environment). A failure is remembered too: later calls throw a fresh exception with the same
 * message instead of searching the disk again. The binding classes ({@code cblas_h}, {@code cuda_runtime_api_h}, ...)
 * resolve their symbols through here.
 */
public final class NativeLibraries {
    private NativeLibraries() {
    }

    public static NativeLibrary cudart() {
        return Cudart.LIB.get();
    }

    public static NativeLibrary cublas() {
        return Cublas.LIB.get();
    }

    public static NativeLibrary cusolver() {
        return Cusolver.LIB.get();
    }

    public static NativeLibrary openblas() {
        return Openblas.LIB.get();
    }

    /** LAPACKE: the OpenBLAS library itself when it exports LAPACKE_* (bundled build), else Debian's liblapacke.so.3. */
    public static NativeLibrary lapacke() {
        return Lapacke.LIB.get();
    }

    // One holder class per library: the JVM's class initialisation gives lazy, thread-safe, once-only loading.
    private static final class Cudart {
        static final Loaded LIB = Loaded.of(() -> new LibraryLoader().loadCudart());
    }

    private static final class Cublas {
        static final Loaded LIB = Loaded.of(() -> new LibraryLoader().loadCublas());
    }

    private static final class Cusolver {
        static final Loaded LIB = Loaded.of(() -> new LibraryLoader().loadCusolver());
    }

    private static final class Openblas {
        static final Loaded LIB = Loaded.of(() -> new LibraryLoader().loadOpenblas());
    }

    private static final class Lapacke {
        static final Loaded LIB = Loaded.of(() -> new LibraryLoader().loadLapacke(openblas()));
    }

    /** A library or the reason it is unavailable. */
    private record Loaded(NativeLibrary library, NativeLibraryUnavailableException failure) {
        static Loaded of(Supplier<NativeLibrary> load) {
            try {
                return new Loaded(load.get(), null);
            } catch (NativeLibraryUnavailableException e) {
                return new Loaded(null, e);
            }
        }

        NativeLibrary get() {
            if (library == null) {
                throw new NativeLibraryUnavailableException(failure.getMessage(), failure.tried());
            }
            return library;
        }
    }
}
