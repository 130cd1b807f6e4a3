package dev.rba.onnx.blocks;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RepeatingRun#best} against the direct definition (every period, every position: quadratic), on random
 * signature sequences made to repeat; and its cost on the inputs where the direct definition is quadratic.
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

    @Test
    void linearithmicWhereTheDefinitionIsQuadratic() {
        int m = 200_000;
        Random random = new Random(5);
        // every segment computes and nothing repeats for long: the direct definition compares ~m^2 / 4 pairs (10^10)
        int[] noisy = random.ints(m, 0, 8).toArray();
        // one long repetition broken near its end: every period p finds a stretch of about m - p segments
        int[] almost = new int[m];
        almost[m - 1] = 1;
        boolean[] computes = new boolean[m];
        Arrays.fill(computes, true);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int[] sig : List.of(noisy, almost)) {
            double best = Double.MAX_VALUE;
            List<RepeatingRun> runs = null;
            for (int attempt = 0; attempt < 3 && best >= 2.0; attempt++) {
                long t0 = cpu.getCurrentThreadCpuTime();
                runs = RepeatingRun.best(sig, computes);
                best = Math.min(best, (cpu.getCurrentThreadCpuTime() - t0) / 1e9);
            }
            System.out.printf("repeating runs over %,d segments: best %.3f CPU s, %d runs%n", m, best, runs.size());
            assertTrue(best < 2.0, best + " CPU s");
            assertTrue(!runs.isEmpty());
        }
        // the broken repetition: period 1 covers all but the last segment
        assertEquals(List.of(new RepeatingRun(0, 1, m - 1)), RepeatingRun.best(almost, computes));
    }
}
