package dev.rba.nativelib;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Creates the downcall handles that the generated binding classes cache in their per-function holder classes (jextract
 * makes the holders; cmake/GenerateBindings.cmake points them here instead of jextract's own symbol lookup).
 * A holder's static initialiser must not throw (that would turn into ExceptionInInitializerError once and
 * NoClassDefFoundError ever after), so when the library or symbol is missing this returns a handle of the same type that
 * throws {@link NativeLibraryUnavailableException} with the reason every time it is called.
 */
public final class Downcalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle FAIL;

    static {
        try {
            FAIL = MethodHandles.lookup().findStatic(Downcalls.class, "fail", MethodType.methodType(Object.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Downcalls() {
    }

    /**
     * A downcall handle for the first of {@code symbols} that the library exports (several names cover renamed
     * exports, e.g. cudaGetDeviceProperties_v2 in CUDA 12 vs cudaGetDeviceProperties).
     */
    public static MethodHandle handle(Supplier<NativeLibrary> library, FunctionDescriptor descriptor, String symbol, Linker.Option... options) {
        return handle(library, descriptor, new String[] {symbol}, options);
    }

    public static MethodHandle handle(Supplier<NativeLibrary> library, FunctionDescriptor descriptor, String[] symbols, Linker.Option... options) {
        NativeLibrary lib;
        try {
            lib = library.get();
        } catch (NativeLibraryUnavailableException e) {
            return throwing(descriptor, symbols[0] + " is unavailable: " + e.getMessage());
        }
        for (String symbol : symbols) {
            Optional<MemorySegment> address = lib.find(symbol);
            if (address.isPresent()) {
                return LINKER.downcallHandle(address.get(), descriptor, options);
            }
        }
        return throwing(descriptor, missing(lib, symbols));
    }

    /**
     * The address of the first of {@code symbols} that the library exports, for the generated {@code name$address()}
     * methods; throws {@link NativeLibraryUnavailableException} when the library or every symbol is missing.
     */
    public static MemorySegment address(Supplier<NativeLibrary> library, String... symbols) {
        NativeLibrary lib = library.get();
        for (String symbol : symbols) {
            Optional<MemorySegment> address = lib.find(symbol);
            if (address.isPresent()) {
                return address.get();
            }
        }
        throw new NativeLibraryUnavailableException(missing(lib, symbols));
    }

    /**
     * The symbols of a library loaded on first use, for the generated classes' {@code SYMBOL_LOOKUP}: empty when the
     * library is unavailable, so nothing throws while a class initialises.
     */
    public static SymbolLookup lookup(Supplier<NativeLibrary> library) {
        return name -> {
            try {
                return library.get().find(name);
            } catch (NativeLibraryUnavailableException e) {
                return Optional.empty();
            }
        };
    }

    private static String missing(NativeLibrary lib, String[] symbols) {
        return "symbol " + String.join(" / ", symbols) + " is not exported by " + lib.path()
                + " (" + lib.source() + "): the library is older or built differently than rba expects; install a newer version or point rba at another one";
    }

    private static MethodHandle throwing(FunctionDescriptor descriptor, String message) {
        MethodType type = descriptor.toMethodType();
        MethodHandle thrower = MethodHandles.insertArguments(FAIL, 0, message).asType(MethodType.methodType(type.returnType()));
        return MethodHandles.dropArguments(thrower, 0, type.parameterList());
    }

    private static Object fail(String message) {
        throw new NativeLibraryUnavailableException(message);
    }

    /** Reads a NUL-terminated C string returned by a native function; null for NULL. */
    public static String cString(MemorySegment pointer) {
        return pointer.equals(MemorySegment.NULL) ? null : pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
