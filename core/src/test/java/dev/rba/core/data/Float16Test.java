package dev.rba.core.data;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Float16Test {

    private static void bits(int expected, double v) {
        assertEquals(expected, Float16.fromDouble(v) & 0xffff, () -> "float16 of " + v);
    }

    @Test
    void knownValues() {
        bits(0x3c00, 1.0);
        bits(0xc000, -2.0);
        bits(0x0000, 0.0);
        bits(0x8000, -0.0);
        bits(0x7bff, 65504.0);            // largest finite half
        bits(0x7bff, 65519.99);           // below the overflow midpoint
        bits(0x7c00, 65520.0);            // midpoint ties to even = infinity
        bits(0xfc00, Double.NEGATIVE_INFINITY);
        bits(0x0400, 0x1p-14);            // smallest normal
        bits(0x0001, 0x1p-24);            // smallest subnormal
        bits(0x0000, 0x1p-25);            // half of it: tie to even (zero)
        bits(0x0002, 3 * 0x1p-25);        // 1.5 ulp: tie to even (2)
        bits(0x0400, 0x1p-14 - 0x1p-26);  // rounds up out of the subnormals into the smallest normal
        bits(0x2e66, 0.1);
        bits(0x3555, 1.0 / 3.0);
        bits(0x3c00, 1.0 + 0x1p-11);      // tie between 1 and 1+2^-10: even is 1
        bits(0x3c02, 1.0 + 3 * 0x1p-11);  // tie between 1+2^-10 and 1+2^-9: even is the upper one
        assertTrue(Float.isNaN(Float.float16ToFloat(Float16.fromDouble(Double.NaN))));
    }

    @Test
    void doublesRoundOnceNotTwice() {
        // Just above a tie: correct rounding goes up; going through float first would land on the tie and go down.
        double d = 1.0 + 0x1p-11 + 0x1p-40;
        assertEquals(0x3c00, Float.floatToFloat16((float) d) & 0xffff);
        bits(0x3c01, d);
    }

    @Test
    void agreesWithTheJdkForFloats() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 2_000_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (Float.isNaN(f)) continue;
            assertEquals(Float.floatToFloat16(f), Float16.fromDouble(f), () -> "bits of " + f);
        }
        for (int h = 0; h < 0x7c00; h++) { // every half-way point between neighbouring finite halves
            float mid = (Float.float16ToFloat((short) h) + Float.float16ToFloat((short) (h + 1))) / 2;
            assertEquals(Float.floatToFloat16(mid), Float16.fromDouble(mid), "midpoint above half " + h);
        }
    }
}
