package dev.rba.core.data;

/**
 * IEEE 754 binary16 from double with round-to-nearest-even, straight from double: the JDK converts from float only
 * ({@link Float#floatToFloat16}), and going through float would round twice. From float and back to float, use the
 * JDK ({@link Float#floatToFloat16}, {@link Float#float16ToFloat}).
 */
public final class Float16 {
    private Float16() {
    }

    /** Smallest magnitude that rounds to infinity: the largest half (65504) plus half its ulp (32 / 2). */
    private static final double OVERFLOW_THRESHOLD = 65520.0;
    private static final double MIN_NORMAL = 0x1p-14;

    /** The binary16 bits nearest to d, ties to even; NaN stays NaN, overflow gives infinity. */
    public static short fromDouble(double d) {
        int sign = (int) (Double.doubleToRawLongBits(d) >>> 48) & 0x8000;
        if (Double.isNaN(d)) return (short) (sign | 0x7e00);
        double a = Math.abs(d);
        if (a >= OVERFLOW_THRESHOLD) return (short) (sign | 0x7c00);
        if (a < MIN_NORMAL) {
            // Subnormals are multiples of 2^-24; scaling by a power of two is exact, rint rounds half to even.
            // A result of 1024 is the encoding of the smallest normal, so the carry needs no special case.
            return (short) (sign | (int) Math.rint(a * 0x1p24));
        }
        int e = Math.getExponent(a);
        long m = (long) Math.rint(Math.scalb(a, 10 - e)); // 1024..2048
        // m == 2048 carries into the exponent field by plain addition, which is the correct encoding.
        return (short) (sign | (((e + 15) << 10) + (int) (m - 1024)));
    }
}
