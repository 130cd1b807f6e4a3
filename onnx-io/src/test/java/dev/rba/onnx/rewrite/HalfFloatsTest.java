package dev.rba.onnx.rewrite;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bit patterns worked out by hand from the IEEE 754 binary16 and bfloat16 layouts, ties included. */
class HalfFloatsTest {
    @Test
    void float16RoundsToNearestEven() {
        assertEquals((short) 0x3C00, HalfFloats.toFloat16Bits(1.0f));
        assertEquals((short) 0x2E66, HalfFloats.toFloat16Bits(0.1f));
        assertEquals((short) 0x7BFF, HalfFloats.toFloat16Bits(65504f));
        assertEquals((short) 0x7C00, HalfFloats.toFloat16Bits(65520f));                    // halfway to 2^16 rounds up to infinity
        assertEquals((short) 0x3C00, HalfFloats.toFloat16Bits(1f + 0x1p-11f));             // tie, even neighbour below
        assertEquals((short) 0x3C02, HalfFloats.toFloat16Bits(1f + 3 * 0x1p-11f));         // tie, even neighbour above
        assertEquals((short) 0xC000, HalfFloats.toFloat16Bits(-2f));
        assertEquals((short) 0x0001, HalfFloats.toFloat16Bits(0x1p-24f));                  // smallest subnormal
    }

    @Test
    void bfloat16RoundsToNearestEven() {
        assertEquals((short) 0x3F80, HalfFloats.toBFloat16Bits(1.0f));
        assertEquals((short) 0x3DCD, HalfFloats.toBFloat16Bits(0.1f));                     // 0x3DCCCCCD: lower half above the tie
        assertEquals((short) 0x3F80, HalfFloats.toBFloat16Bits(Float.intBitsToFloat(0x3F808000)));  // tie, even below
        assertEquals((short) 0x3F82, HalfFloats.toBFloat16Bits(Float.intBitsToFloat(0x3F818000)));  // tie, even above
        assertEquals((short) 0x7F80, HalfFloats.toBFloat16Bits(Float.intBitsToFloat(0x7F7FFFFF)));  // max float rounds to inf
        assertTrue(Float.isNaN(HalfFloats.fromBFloat16Bits(HalfFloats.toBFloat16Bits(Float.NaN))));
        assertEquals(-3.0f, HalfFloats.fromBFloat16Bits(HalfFloats.toBFloat16Bits(-3.0f)));
    }
}
