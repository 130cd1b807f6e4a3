package dev.rba.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Token selection on a hand-written batch [2 samples, 3 tokens, d = 2]. */
class TokenSelectionTest {

    // sample 0: tokens (1,2) (3,4) (5,6); sample 1: (7,8) (9,10) (100,100) with the last token padding
    static final float[] BATCH = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, 100};
    static final byte[] MASK = {1, 1, 1, 1, 1, 0};

    private static float[] select(TokenSelection sel, TokenMask mask) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rows = sel.select(Activations.offHeap(arena, BATCH), 2, 3, 2, mask, arena);
            assertEquals(sel.rowCount(2, 3, mask) * 2 * Float.BYTES, rows.byteSize());
            return rows.toArray(ValueLayout.JAVA_FLOAT);
        }
    }

    @Test
    void selectionsYieldTheExpectedRows() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment maskBytes = arena.allocate(MASK.length);
            MemorySegment.copy(MASK, 0, maskBytes, ValueLayout.JAVA_BYTE, 0, MASK.length);
            TokenMask mask = TokenMask.fromInt8Segment(2, 3, maskBytes);
            assertEquals(5, mask.realTokens());
            assertArrayEquals(new float[] {1, 2, 7, 8}, select(TokenSelection.CLS, mask));
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, select(TokenSelection.ALL, mask));
            assertArrayEquals(new float[] {3, 4, 8, 9}, select(TokenSelection.MEAN, mask));
            assertArrayEquals(BATCH, select(TokenSelection.ALL, null));
            assertArrayEquals(new float[] {3, 4, 38.666668f, 39.333332f}, select(TokenSelection.MEAN, null));
        }
    }

    @Test
    void unusableMasksAreRejected() {
        TokenMask clsMasked = TokenMask.fromLongs(2, 3, new long[] {0, 1, 1, 1, 1, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> select(TokenSelection.CLS, clsMasked));
        assertTrue(e.getMessage().contains("sample 0 masks out token 0"), e.getMessage());
        TokenMask empty = TokenMask.fromLongs(2, 3, new long[] {1, 1, 1, 0, 0, 0});
        assertThrows(IllegalArgumentException.class, () -> select(TokenSelection.MEAN, empty));
        assertThrows(IllegalArgumentException.class, () -> TokenMask.fromLongs(2, 3, new long[] {1, 2, 1, 1, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> TokenSelection.parse("first"));
        assertEquals(TokenSelection.MEAN, TokenSelection.parse(" Mean "));
    }
}
