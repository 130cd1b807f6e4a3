package dev.rba.core.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Order statistics of run times against values worked out by hand. */
class LatencyStatsTest {
    private static long[] ms(long... v) {
        long[] n = new long[v.length];
        for (int i = 0; i < v.length; i++) n[i] = v[i] * 1_000_000L;
        return n;
    }

    @Test
    void oddCountMedianIsTheMiddleAndP90IsNearestRank() {
        LatencyStats s = LatencyStats.of(32, 3, ms(5, 1, 3, 2, 4));
        assertEquals(3.0, s.medianMs(), 1e-12);
        assertEquals(5.0, s.p90Ms(), 1e-12);      // ceil(0.9 * 5) = 5th smallest
        assertEquals(1.0, s.minMs(), 1e-12);
        assertEquals(3.0, s.meanMs(), 1e-12);
        assertEquals(3.0 / 32, s.medianMsPerSample(), 1e-12);
        assertEquals(5, s.repeats());
    }

    @Test
    void evenCountMedianAveragesTheTwoMiddleRuns() {
        LatencyStats s = LatencyStats.of(8, 0, ms(10, 9, 8, 7, 6, 5, 4, 3, 2, 1));
        assertEquals(5.5, s.medianMs(), 1e-12);
        assertEquals(9.0, s.p90Ms(), 1e-12);      // ceil(0.9 * 10) = 9th smallest
    }

    @Test
    void noRunsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.of(1, 0, new long[0]));
    }
}
