package dev.rba.nativelib;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * dlopen/dlsym/dlerror over FFM. We call the dynamic loader ourselves rather than {@link SymbolLookup#libraryLookup}
 * because the JDK's lookup drops dlerror's text ("libgfortran.so.5: cannot open shared object file"), which is exactly
 * what a user needs to see when a library exists but one of its dependencies does not.
 * Handles are never dlclose'd: a loaded library lives as long as the process, so downcall handles cached in static
 * fields can never point into unmapped code.
 */
final class Dl {
    static final int RTLD_NOW = 0x2;
    static final int RTLD_NOLOAD = 0x4;
    static final int RTLD_GLOBAL = 0x100;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle DLOPEN = handle("dlopen", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle DLSYM = handle("dlsym", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle DLERROR = handle("dlerror", FunctionDescriptor.of(ValueLayout.ADDRESS));

    private Dl() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        MemorySegment address = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new NativeLibraryUnavailableException(name + " is not in the C library's default lookup: this platform is not supported (rba needs Linux with glibc)"));
        return LINKER.downcallHandle(address, descriptor);
    }

    /** Result of one dlopen: a handle, or dlerror's message. */
    record Opened(MemorySegment handle, String error) {
        boolean ok() {
            return error == null;
        }
    }

    /** dlopen(nameOrPath, flags); a name without '/' is searched by the system loader (LD_LIBRARY_PATH, ld.so.cache). */
    static Opened open(String nameOrPath, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) DLOPEN.invokeExact(arena.allocateFrom(nameOrPath), flags);
            if (!handle.equals(MemorySegment.NULL)) {
                return new Opened(handle, null);
            }
            return new Opened(null, lastError());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Whether a library with this soname is already mapped into the process (dlopen with RTLD_NOLOAD). */
    static boolean isLoaded(String soname) {
        return open(soname, RTLD_NOW | RTLD_NOLOAD).ok();
    }

    /** A SymbolLookup over a dlopen handle; the returned addresses are zero-length segments, enough for downcalls. */
    static SymbolLookup lookup(MemorySegment handle) {
        return name -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment address = (MemorySegment) DLSYM.invokeExact(handle, arena.allocateFrom(name));
                return address.equals(MemorySegment.NULL) ? Optional.empty() : Optional.of(address);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        };
    }

    private static String lastError() throws Throwable {
        MemorySegment message = (MemorySegment) DLERROR.invokeExact();
        return message.equals(MemorySegment.NULL) ? "dlopen failed (no dlerror text)" : message.reinterpret(Long.MAX_VALUE).getString(0);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
