package dev.rba.nativelib.api;
import dev.rba.nativelib.NativeLibrary;

/**
 * What `rba doctor` prints for one native library.
 *
 * @param name      cudart, cublas, cusolver, openblas, lapacke
 * @param available whether it loaded and answered its version query
 * @param path      the file or soname opened; null when unavailable
 * @param foundBy   how it was found (see {@link NativeLibrary#source()}); null when unavailable
 * @param version   the library's own version text, e.g. "runtime 13.0, driver 13.0" or openblas_get_config(); may be null
 * @param problem   why it is unavailable (the loader's one-line message listing what was tried); null when available
 */
public record NativeLibraryStatus(String name, boolean available, String path, String foundBy, String version, String problem) {

    static NativeLibraryStatus ok(NativeLibrary library, String version) {
        return new NativeLibraryStatus(library.name(), true, library.path(), library.source(), version, null);
    }

    static NativeLibraryStatus missing(String name, RuntimeException problem) {
        return new NativeLibraryStatus(name, false, null, null, null, problem.getMessage());
    }
}
