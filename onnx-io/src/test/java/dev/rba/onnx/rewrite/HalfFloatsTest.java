package dev.rba.onnx.rewrite;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bit patterns worked out by hand from the bfloat16 layout, ties included. */
class HalfFloatsTest {
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
