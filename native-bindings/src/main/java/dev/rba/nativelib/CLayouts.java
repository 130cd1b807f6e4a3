package dev.rba.nativelib;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.ValueLayout;

/** C types as FFM layouts on LP64 Linux (jextract names them the same way). */
public final class CLayouts {
    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    /** size_t, int64_t, long on LP64 */
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS;

    private CLayouts() {
    }
}
