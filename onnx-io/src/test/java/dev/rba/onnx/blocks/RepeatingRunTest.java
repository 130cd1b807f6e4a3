package dev.rba.onnx.blocks;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RepeatingRun#best} against the direct definition (every period, every position: quadratic), on random
 * signature sequences made to repeat; and its answers on inputs too long for the direct definition.
 */
class RepeatingRunTest {
    /** The definition, as rba computed it before: compare sig[i] with sig[i + p] for every p and i. */
    static List<RepeatingRun> direct(int[] sig, boolean[] computes) {
        int m = sig.length;
        List<RepeatingRun> best = new ArrayList<>();
        int bestCover = 0;
        int bestReps = 0;
        for (int p = 1; 2 * p <= m; p++) {
            int i = 0;
            while (i + p < m) {
                if (sig[i] != sig[i + p]) {
                    i++;
                    continue;
                }
                int start = i;
                while (i + p < m && sig[i] == sig[i + p]) i++;
                int span = (i - start) + p;
                int reps = span / p;
                boolean any = false;
                for (int k = start; k < start + p; k++) any |= computes[k];
                if (reps < 2 || !any) continue;
                int cover = reps * p;
                if (cover < bestCover || (cover == bestCover && reps < bestReps)) continue;
                if (cover > bestCover || reps > bestReps) {
                    best.clear();
                    bestCover = cover;
                    bestReps = reps;
                }
                for (int offset = 0; offset <= span - cover; offset++) best.add(new RepeatingRun(start + offset, p, reps));
            }
        }
        return best;
    }

    @Test
    void agreesWithTheDefinitionOnRandomRepeatingSequences() {
        Random random = new Random(13);
        for (int trial = 0; trial < 3000; trial++) {
            int alphabet = 1 + random.nextInt(4);
            int[] unit = random.ints(1 + random.nextInt(6), 0, alphabet).toArray();
            int m = 1 + random.nextInt(60);
            int[] sig = new int[m];
            for (int i = 0; i < m; i++) {
                // a repeated unit with a prefix, a suffix and a few changed segments, or plain random
                sig[i] = trial % 3 == 0 ? random.nextInt(alphabet) : unit[(i + trial) % unit.length];
                if (random.nextInt(12) == 0) sig[i] = random.nextInt(alphabet + 1);
            }
            boolean[] computes = new boolean[m];
            for (int i = 0; i < m; i++) computes[i] = random.nextInt(3) > 0 || sig[i] == 0;
            if (trial % 7 == 0) Arrays.fill(computes, false);
            assertEquals(direct(sig, computes), RepeatingRun.best(sig, computes),
                    "sig " + Arrays.toString(sig) + " computes " + Arrays.toString(computes));
        }
    }

    /**
     * Inputs of 200,000 segments, where the direct definition would compare ~10^10 pairs: a repetition planted in
     * noise is found, and a repetition broken only at its very end still counts. (How fast it runs is a benchmark's
     * business, not a test's; here only the answers are checked.)
     */
    @Test
    void findsTheRunInLongSequences() {
        int m = 200_000;
        boolean[] computes = new boolean[m];
        Arrays.fill(computes, true);
        // noise over 8 values with 20 repeats of a 12-segment unit at 100,000: by chance alone a run covering
        // 240 segments is unlikely beyond any test's lifetime (8^-12 per place for the shortest such period)
        Random random = new Random(5);
        int[] planted = random.ints(m, 0, 8).toArray();
        int period = 12;
        int reps = 20;
        int at = 100_000;
        int[] unit = random.ints(period, 0, 8).toArray();
        for (int i = 0; i < period * reps; i++) planted[at + i] = unit[i % period];
        List<RepeatingRun> runs = RepeatingRun.best(planted, computes);
        assertTrue(!runs.isEmpty(), "the planted run is found");
        for (RepeatingRun run : runs) {
            assertEquals(period, run.period(), run.toString());
            assertEquals(reps, run.repetitions(), run.toString());
            // the noise next to the run may match a few segments of the unit and shift where it starts
            assertTrue(run.firstSegment() > at - period && run.firstSegment() <= at, run.toString());
        }
        // one long repetition broken near its end: period 1 covers all but the last segment
        int[] almost = new int[m];
        almost[m - 1] = 1;
        assertEquals(List.of(new RepeatingRun(0, 1, m - 1)), RepeatingRun.best(almost, computes));
    }
}
