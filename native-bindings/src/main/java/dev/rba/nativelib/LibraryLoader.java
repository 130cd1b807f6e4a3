package dev.rba.nativelib;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Finds and opens the native libraries. Order for CUDA libraries: the folder named by {@code rba.cuda.path} /
 * {@code RBA_CUDA_PATH} (when set, nothing else is tried: an explicit setting that does not work is an error, not a
 * hint); else each folder of LD_LIBRARY_PATH, of the active Python venv/conda env's {@code nvidia/*}/lib wheels, and
 * /usr/local/cuda, each for the versioned names newest first; then the system loader by name.
 * For OpenBLAS: {@code rba.openblas.path} / {@code RBA_OPENBLAS_PATH} (a file, a folder, or the words
 * {@code bundled} / {@code system}); else the copy bundled in the Maven artifact; then libopenblas.so.0 from
 * LD_LIBRARY_PATH and the system loader. LAPACKE comes from the OpenBLAS that was loaded when it exports LAPACKE_*
 * (the bundled one does); else from liblapacke.so.3 (Debian splits it out).
 * A loader is cheap and holds no state besides where it reads settings from; {@link NativeLibraries} caches results.
 */
public final class LibraryLoader {
    public static final String CUDA_PATH_PROPERTY = "rba.cuda.path";
    public static final String CUDA_PATH_ENV = "RBA_CUDA_PATH";
    public static final String OPENBLAS_PATH_PROPERTY = "rba.openblas.path";
    public static final String OPENBLAS_PATH_ENV = "RBA_OPENBLAS_PATH";

    static final List<String> CUDART_NAMES = List.of("libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0", "libcudart.so");
    static final List<String> CUBLAS_NAMES = List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so");
    static final List<String> CUSOLVER_NAMES = List.of("libcusolver.so.12", "libcusolver.so.11", "libcusolver.so");
    static final List<String> OPENBLAS_NAMES = List.of("libopenblas.so.0", "libopenblas.so");
    static final List<String> LAPACKE_NAMES = List.of("liblapacke.so.3", "liblapacke.so");
    /**
     * Libraries that cuBLAS/cuSOLVER link against. When one of ours is opened from a folder that is not on the loader's
     * search path, these siblings are opened first from the same folder, so the NEEDED entries resolve by soname.
     */
    static final List<String> CUBLAS_SIBLINGS = List.of("libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so.11");
    static final List<String> CUSOLVER_SIBLINGS = List.of("libnvJitLink.so.13", "libnvJitLink.so.12",
            "libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so.11", "libcublas.so.13", "libcublas.so.12", "libcublas.so.11",
            "libcusparse.so.12", "libcusparse.so.11");

    private final Function<String, String> properties;
    private final Function<String, String> env;

    /** Reads settings from System properties and the process environment. */
    public LibraryLoader() {
        this(System::getProperty, System::getenv);
    }

    /** For tests and embedding: settings from the given maps only (keys absent → unset). */
    public LibraryLoader(Map<String, String> properties, Map<String, String> env) {
        this(properties::get, env::get);
    }

    private LibraryLoader(Function<String, String> properties, Function<String, String> env) {
        this.properties = properties;
        this.env = env;
    }

    public NativeLibrary loadCudart() {
        return loadCuda("cudart", CUDART_NAMES, List.of());
    }

    public NativeLibrary loadCublas() {
        return loadCuda("cublas", CUBLAS_NAMES, CUBLAS_SIBLINGS);
    }

    public NativeLibrary loadCusolver() {
        return loadCuda("cusolver", CUSOLVER_NAMES, CUSOLVER_SIBLINGS);
    }

    private NativeLibrary loadCuda(String name, List<String> fileNames, List<String> siblings) {
        Attempts attempts = new Attempts(name);
        String explicit = setting(CUDA_PATH_PROPERTY, CUDA_PATH_ENV);
        if (explicit != null) {
            NativeLibrary lib = attempts.inFolder(Paths.get(explicit), fileNames, siblings, settingSource(CUDA_PATH_PROPERTY, CUDA_PATH_ENV));
            if (lib != null) {
                return lib;
            }
            throw attempts.failure(settingSource(CUDA_PATH_PROPERTY, CUDA_PATH_ENV) + " is set to " + explicit
                    + " but no usable " + fileNames.getFirst() + " (or older version) is there: point it at the folder holding lib" + name + ".so.*, or unset it to search the system");
        }
        NativeLibrary lib = attempts.inFolders(ldLibraryPath(), fileNames, siblings, folder -> "LD_LIBRARY_PATH");
        if (lib == null) lib = attempts.inFolders(cudaFolders(), fileNames, siblings, folder -> "CUDA install " + folder);
        if (lib == null) lib = attempts.bySystemLoader(fileNames);
        if (lib != null) {
            return lib;
        }
        throw attempts.failure("lib" + name + " (CUDA) was not found: install CUDA 12 or 13 (or the nvidia-* Python wheels), then set "
                + CUDA_PATH_PROPERTY + " or " + CUDA_PATH_ENV + " to the folder holding lib" + name + ".so.*, or add that folder to LD_LIBRARY_PATH");
    }

    public NativeLibrary loadOpenblas() {
        Attempts attempts = new Attempts("openblas");
        String explicit = setting(OPENBLAS_PATH_PROPERTY, OPENBLAS_PATH_ENV);
        String source = settingSource(OPENBLAS_PATH_PROPERTY, OPENBLAS_PATH_ENV);
        if (explicit != null) {
            NativeLibrary lib = switch (explicit) {
                case "bundled" -> attempts.bundled(properties, env);
                case "system" -> systemOpenblas(attempts);
                default -> {
                    Path path = Paths.get(explicit);
                    yield Files.isDirectory(path) ? attempts.inFolder(path, OPENBLAS_NAMES, List.of(), source) : attempts.file(path, source);
                }
            };
            if (lib != null) {
                return lib;
            }
            throw attempts.failure(source + " is set to " + explicit + " but no usable libopenblas was found there: set it to a libopenblas.so file, a folder holding one, 'bundled' or 'system', or unset it");
        }
        NativeLibrary lib = attempts.bundled(properties, env);
        if (lib == null) {
            lib = systemOpenblas(attempts);
        }
        if (lib != null) {
            return lib;
        }
        throw attempts.failure("OpenBLAS was not found: keep org.bytedeco:openblas (classifier linux-x86_64) on the class path, or install libopenblas0 + liblapacke (Debian/Ubuntu), or set "
                + OPENBLAS_PATH_PROPERTY + " / " + OPENBLAS_PATH_ENV + " to a libopenblas.so.0");
    }

    private NativeLibrary systemOpenblas(Attempts attempts) {
        return onSystem(attempts, OPENBLAS_NAMES);
    }

    /** The first of {@code fileNames} in a folder of LD_LIBRARY_PATH, else the first the system loader finds; or null. */
    private NativeLibrary onSystem(Attempts attempts, List<String> fileNames) {
        NativeLibrary lib = attempts.inFolders(ldLibraryPath(), fileNames, List.of(), folder -> "LD_LIBRARY_PATH");
        return lib != null ? lib : attempts.bySystemLoader(fileNames);
    }

    /** LAPACKE for the given OpenBLAS: the same library when it exports LAPACKE_*, else liblapacke.so.3 beside it or on the system. */
    public NativeLibrary loadLapacke(NativeLibrary openblas) {
        if (openblas.exports("LAPACKE_dgels")) {
            return new NativeLibrary("lapacke", openblas.path(), openblas.source() + ", LAPACKE built in", openblas.lookup());
        }
        Attempts attempts = new Attempts("lapacke");
        Path parent = Paths.get(openblas.path()).getParent();
        if (parent != null) {
            NativeLibrary lib = attempts.inFolder(parent, LAPACKE_NAMES, List.of(), "beside " + openblas.path());
            if (lib != null) {
                return lib;
            }
        }
        NativeLibrary lib = onSystem(attempts, LAPACKE_NAMES);
        if (lib != null) {
            return lib;
        }
        throw attempts.failure("LAPACKE was not found: " + openblas.path() + " does not export LAPACKE_* and no liblapacke.so.3 loads; install liblapacke (Debian/Ubuntu) or set "
                + OPENBLAS_PATH_PROPERTY + "=bundled to use the OpenBLAS from the Maven artifact, which has LAPACKE built in");
    }

    private String setting(String property, String envName) {
        String value = properties.apply(property);
        if (value == null || value.isBlank()) {
            value = env.apply(envName);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    private String settingSource(String property, String envName) {
        String value = properties.apply(property);
        return value != null && !value.isBlank() ? "system property " + property : "environment variable " + envName;
    }

    private List<Path> ldLibraryPath() {
        List<Path> folders = new ArrayList<>();
        String value = env.apply("LD_LIBRARY_PATH");
        if (value != null) {
            for (String part : value.split(":")) {
                if (!part.isBlank()) {
                    folders.add(Paths.get(part));
                }
            }
        }
        return folders;
    }

    /** Folders where CUDA commonly lives when not on LD_LIBRARY_PATH: pip wheels in the active venv/conda env, /usr/local/cuda. */
    private List<Path> cudaFolders() {
        Set<Path> folders = new LinkedHashSet<>();
        for (String root : new String[] {env.apply("VIRTUAL_ENV"), env.apply("CONDA_PREFIX")}) {
            if (root == null || root.isBlank()) {
                continue;
            }
            Path lib = Paths.get(root, "lib");
            if (!Files.isDirectory(lib)) {
                continue;
            }
            try (DirectoryStream<Path> pythons = Files.newDirectoryStream(lib, "python3*")) {
                for (Path python : pythons) {
                    Path nvidia = python.resolve("site-packages").resolve("nvidia");
                    if (Files.isDirectory(nvidia)) {
                        try (DirectoryStream<Path> packages = Files.newDirectoryStream(nvidia)) {
                            for (Path pkg : packages) {
                                if (Files.isDirectory(pkg.resolve("lib"))) {
                                    folders.add(pkg.resolve("lib"));
                                }
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // an unreadable venv is simply not a place CUDA can come from; the failure message lists what was tried
            }
            folders.add(lib);
        }
        folders.add(Paths.get("/usr/local/cuda/lib64"));
        folders.add(Paths.get("/usr/local/cuda/targets/x86_64-linux/lib"));
        return new ArrayList<>(folders);
    }

    /** Collects what was tried, so a failure can list it. */
    private static final class Attempts {
        private final String name;
        private final List<String> tried = new ArrayList<>();

        Attempts(String name) {
            this.name = name;
        }

        NativeLibrary inFolder(Path folder, List<String> fileNames, List<String> siblings, String source) {
            if (!Files.isDirectory(folder)) {
                tried.add(folder + " (" + source + ": no such folder)");
                return null;
            }
            boolean any = false;
            for (String fileName : fileNames) {
                Path file = folder.resolve(fileName);
                if (Files.exists(file)) {
                    any = true;
                    preloadSiblings(folder, siblings);
                    NativeLibrary lib = file(file, source);
                    if (lib != null) {
                        return lib;
                    }
                }
            }
            if (!any) {
                tried.add(folder + " (" + source + ": none of " + String.join(", ", fileNames) + ")");
            }
            return null;
        }

        NativeLibrary file(Path file, String source) {
            if (!Files.exists(file)) {
                tried.add(file + " (" + source + ": no such file)");
                return null;
            }
            Dl.Opened opened = Dl.open(file.toAbsolutePath().toString(), Dl.RTLD_NOW);
            if (!opened.ok()) {
                tried.add(file + " (" + source + ": " + opened.error() + ")");
                return null;
            }
            return new NativeLibrary(name, file.toAbsolutePath().toString(), source, Dl.lookup(opened.handle()));
        }

        /** The first of {@code fileNames} found in one of {@code folders}, searched in order (as {@link #inFolder}); or null. */
        NativeLibrary inFolders(List<Path> folders, List<String> fileNames, List<String> siblings, Function<Path, String> source) {
            for (Path folder : folders) {
                NativeLibrary lib = inFolder(folder, fileNames, siblings, source.apply(folder));
                if (lib != null) {
                    return lib;
                }
            }
            return null;
        }

        /** The first of {@code fileNames} the system loader (dlopen without a path) opens; or null. */
        NativeLibrary bySystemLoader(List<String> fileNames) {
            for (String fileName : fileNames) {
                NativeLibrary lib = bySystemLoader(fileName);
                if (lib != null) {
                    return lib;
                }
            }
            return null;
        }

        NativeLibrary bySystemLoader(String fileName) {
            Dl.Opened opened = Dl.open(fileName, Dl.RTLD_NOW);
            if (!opened.ok()) {
                tried.add(fileName + " (system loader: " + opened.error() + ")");
                return null;
            }
            return new NativeLibrary(name, fileName, "system loader", Dl.lookup(opened.handle()));
        }

        NativeLibrary bundled(Function<String, String> properties, Function<String, String> env) {
            if (!BundledOpenBlas.platformSupported()) {
                tried.add(BundledOpenBlas.SOURCE + " (only built for linux-x86_64, this is " + System.getProperty("os.name") + "-" + System.getProperty("os.arch") + ")");
                return null;
            }
            Path folder;
            try {
                folder = BundledOpenBlas.extract(properties, env);
            } catch (IOException e) {
                tried.add(BundledOpenBlas.SOURCE + " (" + e.getMessage() + ")");
                return null;
            }
            // Its GCC runtime libraries first, unless the process already has them: NEEDED entries match loaded sonames.
            for (String dependency : BundledOpenBlas.RUNTIME_DEPENDENCIES) {
                if (!Dl.isLoaded(dependency)) {
                    Dl.Opened opened = Dl.open(folder.resolve(dependency).toString(), Dl.RTLD_NOW);
                    if (!opened.ok()) {
                        tried.add(folder.resolve(dependency) + " (" + BundledOpenBlas.SOURCE + ": " + opened.error() + ")");
                        return null;
                    }
                }
            }
            return file(folder.resolve(BundledOpenBlas.MAIN_LIBRARY), BundledOpenBlas.SOURCE);
        }

        private static void preloadSiblings(Path folder, List<String> siblings) {
            for (String sibling : siblings) {
                Path file = folder.resolve(sibling);
                if (Files.exists(file)) {
                    // best effort: if a sibling fails, the main library's own dlerror names what is missing
                    Dl.open(file.toAbsolutePath().toString(), Dl.RTLD_NOW);
                }
            }
        }

        NativeLibraryUnavailableException failure(String message) {
            return new NativeLibraryUnavailableException(message + ". Tried: " + String.join("; ", tried), tried);
        }
    }
}
