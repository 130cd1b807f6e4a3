package dev.rba.nativelib;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.util.Optional;

/**
 * One loaded native library: a logical name ("cublas"), where it came from, and its symbols. Loaded libraries are
 * never unloaded (see {@link Dl}), so a NativeLibrary and the addresses it hands out stay valid for the process.
 *
 * @param name   logical name: cudart, cublas, cusolver, openblas, lapacke
 * @param path   the file or soname that was opened, e.g. {@code /usr/lib/x86_64-linux-gnu/libopenblas.so.0}
 * @param source how it was found, e.g. "rba.cuda.path", "LD_LIBRARY_PATH", "bundled (org.bytedeco:openblas)", "system loader"
 * @param lookup its symbols
 */
public record NativeLibrary(String name, String path, String source, SymbolLookup lookup) {

    public Optional<MemorySegment> find(String symbol) {
        return lookup.find(symbol);
    }

    public boolean exports(String symbol) {
        return lookup.find(symbol).isPresent();
    }

    @Override
    public String toString() {
        return name + " from " + path + " (" + source + ")";
    }
}
