package dev.rba.onnx.rewrite;

/**
 * float32 to bfloat16, rounding to nearest, ties to even (the rounding IEEE 754 and ONNX use), so a converted T is the
 * closest representable matrix. NaN stays NaN; overflow becomes infinity. IEEE binary16 needs no code here: the JDK's
 * {@link Float#floatToFloat16} rounds the same way.
 */
public final class HalfFloats {
    private HalfFloats() {
    }

    /** bfloat16 bits of {@code f}: the upper 16 bits of the float32 after rounding the lower 16 to nearest even. */
    public static short toBFloat16Bits(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x0040);   // keep the sign, force a quiet NaN
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7FFF + lsb) >>> 16);
    }

    public static float fromBFloat16Bits(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
