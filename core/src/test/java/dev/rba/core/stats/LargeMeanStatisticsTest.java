package dev.rba.core.stats;

import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rba.core.linalg.Backend;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CKA of streams whose columns have means of 1e3 and 1e4 (and one outlier channel ten times larger) against a direct
 * two-pass fp64 computation on the rows, for one pass and for the merge of two passes (each with its own shift).
 */
@ExtendWith(ClassBackends.class)
class LargeMeanStatisticsTest {

    static final int D = 10;
    static final int TOKENS = 4;

    static Stream<Arguments> cases(ClassBackends.Opened backends) {
        List<Arguments> out = new ArrayList<>();
        for (Backend b : backends.list()) {
            for (double mean : new double[] {1e3, 1e4}) {
                for (boolean joint : new boolean[] {true, false}) out.add(Arguments.of(b, mean, joint));
            }
        }
        return out.stream();
    }

    /** [batch, TOKENS, D]: column c has mean m_c (channel 2 is 10x the others) and spread 1. */
    static float[] largeMeanRows(Random rnd, int batch, double mean, double shiftOfMeans) {
        float[] x = new float[batch * TOKENS * D];
        for (int i = 0; i < x.length; i++) {
            int c = i % D;
            double m = (c == 2 ? 10 * mean : (c % 3 == 0 ? -mean : mean)) + shiftOfMeans;
            x[i] = (float) (m + rnd.nextGaussian());
        }
        return x;
    }

    @ParameterizedTest(name = "{0}, mean {1}, joint {2}", autoCloseArguments = false)
    @MethodSource("cases")
    void ckaMatchesTwoPassReference(Backend backend, double mean, boolean joint) {
        Random rnd = new Random(7);
        List<String> names = List.of("x", "y", "z");
        int[] widths = {D, D, D};
        StatisticsPlan plan = joint
                ? StatisticsPlan.allPairs(names, widths, TokenSelection.ALL, TokenSelection.CLS)
                : StatisticsPlan.chosenPairs(names, widths, TokenSelection.ALL, TokenSelection.CLS,
                        List.of(new StreamPair(0, 1), new StreamPair(0, 2), new StreamPair(1, 2)));
        double[] t = new double[D * D];
        for (int i = 0; i < t.length; i++) t[i] = rnd.nextGaussian() / Math.sqrt(D);
        ReferenceRows[] ref = {new ReferenceRows(), new ReferenceRows(), new ReferenceRows()};
        StreamStatistics[] halves = new StreamStatistics[2];
        try (Arena arena = Arena.ofConfined()) {
            for (int half = 0; half < 2; half++) {
                try (StatisticsAccumulator acc = new StatisticsAccumulator(backend, plan, 1)) {
                    for (int b = 0; b < 10; b++) {
                        int batch = 25;
                        // the second pass starts elsewhere: its own shift differs from the first pass's
                        float[] x = largeMeanRows(rnd, batch, mean, half * 2.0);
                        float[] y = Activations.map(x, batch * TOKENS, D, t, D, rnd, 1.5);
                        float[] z = largeMeanRows(rnd, batch, mean, 0);
                        float[][] s = {x, y, z};
                        MemorySegment[] segs = new MemorySegment[3];
                        for (int k = 0; k < 3; k++) {
                            ref[k].add(s[k], batch, TOKENS, D, null, TokenSelection.ALL, TokenSelection.CLS);
                            segs[k] = Activations.offHeap(arena, s[k]);
                        }
                        acc.add(batch, TOKENS, segs, null);
                    }
                    halves[half] = acc.snapshot();
                }
            }
        }
        StreamStatistics merged = halves[0].merge(halves[1]);
        for (int[] p : new int[][] {{0, 1}, {0, 2}, {1, 2}}) {
            double want = ReferenceRows.cka(ref[p[0]].selected, ref[p[1]].selected);
            assertEquals(want, Metrics.cka(merged, p[0], p[1]), 1e-6,
                    backend.name() + ": CKA of " + names.get(p[0]) + ", " + names.get(p[1]) + " (reference " + want + ")");
        }
    }
}
