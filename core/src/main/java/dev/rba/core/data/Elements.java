package dev.rba.core.data;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reads and writes single elements of any {@link ElementType} in little-endian memory (the byte order of .npy files
 * written by rba and of ONNX Runtime tensors on x86 and ARM hosts).
 */
final class Elements {
    private Elements() {
    }

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(LE);

    static double getDouble(MemorySegment s, ElementType t, long i) {
        return switch (t) {
            case FLOAT32 -> s.get(F32, i * 4);
            case FLOAT16 -> Float.float16ToFloat(s.get(I16, i * 2));
            case FLOAT64 -> s.get(F64, i * 8);
            case UINT64 -> unsignedToDouble(s.get(I64, i * 8));
            default -> getLong(s, t, i);
        };
    }

    /** Integer value of an integer or bool element; floating elements are truncated toward zero. */
    static long getLong(MemorySegment s, ElementType t, long i) {
        return switch (t) {
            case INT8 -> s.get(ValueLayout.JAVA_BYTE, i);
            case UINT8 -> Byte.toUnsignedLong(s.get(ValueLayout.JAVA_BYTE, i));
            case BOOL -> s.get(ValueLayout.JAVA_BYTE, i) != 0 ? 1 : 0;
            case INT16 -> s.get(I16, i * 2);
            case UINT16 -> Short.toUnsignedLong(s.get(I16, i * 2));
            case INT32 -> s.get(I32, i * 4);
            case UINT32 -> Integer.toUnsignedLong(s.get(I32, i * 4));
            case INT64, UINT64 -> s.get(I64, i * 8);
            case FLOAT32, FLOAT16, FLOAT64 -> (long) getDouble(s, t, i);
        };
    }

    /** Stores v; integer targets get v rounded half-to-even and saturated to the type's range, bool gets v != 0. */
    static void putDouble(MemorySegment s, ElementType t, long i, double v) {
        switch (t) {
            case FLOAT32 -> s.set(F32, i * 4, (float) v);
            case FLOAT16 -> s.set(I16, i * 2, Float16.fromDouble(v));
            case FLOAT64 -> s.set(F64, i * 8, v);
            case BOOL -> s.set(ValueLayout.JAVA_BYTE, i, (byte) (v != 0 ? 1 : 0));
            default -> putLong(s, t, i, saturate(t, Math.rint(v)));
        }
    }

    /** Stores an integer value; the caller has checked that it fits the target type. */
    static void putLong(MemorySegment s, ElementType t, long i, long v) {
        switch (t) {
            case INT8, UINT8 -> s.set(ValueLayout.JAVA_BYTE, i, (byte) v);
            case BOOL -> s.set(ValueLayout.JAVA_BYTE, i, (byte) (v != 0 ? 1 : 0));
            case INT16, UINT16 -> s.set(I16, i * 2, (short) v);
            case INT32, UINT32 -> s.set(I32, i * 4, (int) v);
            case INT64, UINT64 -> s.set(I64, i * 8, v);
            case FLOAT32 -> s.set(F32, i * 4, (float) v);
            case FLOAT16 -> s.set(I16, i * 2, Float16.fromDouble(v));
            case FLOAT64 -> s.set(F64, i * 8, (double) v);
        }
    }

    /** Whether integer v is representable in integer type t (bool takes 0 and 1). */
    static boolean fits(ElementType t, long v) {
        return switch (t) {
            case INT8 -> v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
            case UINT8 -> v >= 0 && v <= 0xff;
            case INT16 -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
            case UINT16 -> v >= 0 && v <= 0xffff;
            case INT32 -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
            case UINT32 -> v >= 0 && v <= 0xffffffffL;
            case BOOL -> v == 0 || v == 1;
            default -> true;
        };
    }

    private static long saturate(ElementType t, double v) {
        double lo = switch (t) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> 0;
        };
        double hi = switch (t) {
            case INT8 -> Byte.MAX_VALUE;
            case UINT8 -> 0xff;
            case INT16 -> Short.MAX_VALUE;
            case UINT16 -> 0xffff;
            case INT32 -> Integer.MAX_VALUE;
            case UINT32 -> 0xffffffffL;
            default -> Long.MAX_VALUE;
        };
        return (long) Math.max(lo, Math.min(hi, v));
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }
}
