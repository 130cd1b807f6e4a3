package dev.rba.nativelib;

import java.util.List;

/**
 * A native library (or one of its symbols) could not be loaded. The message is one line: what is missing, what to do,
 * and every place that was tried, so that `rba doctor` and CLI errors can print it as is.
 */
public class NativeLibraryUnavailableException extends RuntimeException {
    private final List<String> tried;

    public NativeLibraryUnavailableException(String message, List<String> tried) {
        super(message);
        this.tried = List.copyOf(tried);
    }

    public NativeLibraryUnavailableException(String message) {
        this(message, List.of());
    }

    /** Each attempt, e.g. {@code "/opt/cuda/libcublas.so.13 (no such file)"}; empty when the message says it all. */
    public List<String> tried() {
        return tried;
    }
}
