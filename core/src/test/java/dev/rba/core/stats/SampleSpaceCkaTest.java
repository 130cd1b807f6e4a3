package dev.rba.core.stats;

import dev.rba.core.linalg.JavaBackend;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CKA in sample space (<K_a, K_b>_F over n x n kernels of the kept per-sample rows) equals CKA in feature space (the
 * joint Gram's centred cross-Grams) and the closed form on explicitly centred fp64 rows, for CLS and mean rows, with
 * padding, with streams of unequal width and with a large channel mean.
 */
class SampleSpaceCkaTest {

    @Test
    void sameCkaAsTheJointGramAndTheClosedForm() {
        Random rnd = new Random(11);
        List<StreamStatisticsTest.Batch> batches = new ArrayList<>();
        for (int i = 0; i < 3; i++) batches.add(StreamStatisticsTest.Batch.random(rnd, 5, i == 1));
        // a channel whose mean is 1e3 times its spread: centring must not lose it
        for (StreamStatisticsTest.Batch b : batches) {
            float[] h2 = b.streams()[2];
            for (int i = 0; i < h2.length; i += StreamStatisticsTest.WIDTHS[2]) h2[i] += 2000f;
        }
        List<String> names = StreamStatisticsTest.NAMES;
        int[] widths = StreamStatisticsTest.WIDTHS;
        try (JavaBackend backend = new JavaBackend(1)) {
            for (TokenSelection sel : List.of(TokenSelection.CLS, TokenSelection.MEAN)) {
                StreamStatistics joint = StreamStatisticsTest.accumulate(backend,
                        StatisticsPlan.allPairs(names, widths, sel, TokenSelection.CLS), batches);
                StatisticsPlan plan = StatisticsPlan.rowSumsOnly(names, widths, sel, TokenSelection.CLS);
                StreamStatistics sample = StreamStatisticsTest.feed(
                        StatisticsAccumulator.withSampleSpaceCka(backend, plan, 15), batches, Arena.ofConfined());
                assertTrue(sample.hasSampleSpaceCka() && !sample.plan().grams(), "no Gram kept");
                ReferenceRows[] ref = StreamStatisticsTest.reference(plan, batches);
                double[][] matrix = Metrics.similarityMatrix(sample, SimilarityMetric.CKA);
                for (int a = 0; a < names.size(); a++) {
                    double centred = joint.centredSumOfSquares(a);
                    // the joint Gram comes from fp32 products of shifted rows, the kernels from fp64 ones
                    assertEquals(centred, sample.centredSumOfSquares(a), 1e-7 * centred, sel + " centred energy " + a);
                    for (int b = a + 1; b < names.size(); b++) {
                        String what = sel + " h" + a + ",h" + b;
                        double closed = ReferenceRows.cka(ref[a].selected, ref[b].selected);
                        // CLS rows are the captured floats; mean rows are averaged in float32 by the token selection
                        // (in fp64 by the reference), which costs the 2000-offset channel ~1e-4 of its spread
                        assertEquals(closed, matrix[a][b], sel == TokenSelection.CLS ? 1e-10 : 1e-5, "closed form " + what);
                        assertEquals(Metrics.cka(joint, a, b), Metrics.cka(sample, a, b), 1e-6, "joint Gram " + what);
                        double numerator = joint.ckaNumerator(a, b);
                        assertEquals(numerator, sample.ckaNumerator(a, b), 1e-6 * numerator, "numerator " + what);
                    }
                }
                assertTrue(matrix[0][1] > 0.9, "h1 is h0 plus small noise: " + matrix[0][1]);
                assertThrows(IllegalArgumentException.class, () -> sample.merge(sample));
            }
        }
    }

    @Test
    void sizesAndMisuseAreChecked() {
        boolean[] all = {true, true, true};
        int[] widths = {1280, 1280, 1280};
        // 3 streams of 8 rows: the float32 rows, three 8 x 8 kernels and the widest stream centred twice in fp64
        assertEquals(3L * 8 * 1280 * 4 + 3L * 64 * 8 + 2L * 8 * 1280 * 8, SampleSpaceCka.bytes(widths, all, 8));
        assertEquals(2L * 8 * 1280 * 4 + 2L * 64 * 8 + 2L * 8 * 1280 * 8,
                SampleSpaceCka.bytes(widths, new boolean[] {true, false, true}, 8), "an unused stream is not kept");
        try (JavaBackend backend = new JavaBackend(1)) {
            StatisticsPlan withGrams = StatisticsPlan.allPairs(List.of("a", "b"), new int[] {4, 4}, TokenSelection.CLS,
                    TokenSelection.CLS);
            assertThrows(IllegalArgumentException.class, () -> StatisticsAccumulator.withSampleSpaceCka(backend, withGrams, 8));
            StatisticsPlan rows = StatisticsPlan.rowSumsOnly(List.of("a", "b"), new int[] {4, 4}, TokenSelection.CLS,
                    TokenSelection.CLS);
            IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                    () -> StatisticsAccumulator.withSampleSpaceCka(backend, rows, 100_000));
            assertTrue(big.getMessage().contains("--samples") && big.getMessage().contains("--metric"), big.getMessage());
        }
    }
}
