package dev.rba.core.stats;

import dev.rba.core.linalg.JavaBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Statistics without Grams (similarity rows for cosine, MSE and Block Redundancy, no CKA) hold the same per-pair
 * sums, row counts and per-stream sums of squares as the joint Gram layout, and refuse what needs a Gram.
 */
class RowSumsOnlyTest {

    @Test
    void sameSumsAsTheJointLayoutWithoutAnyGram(@TempDir Path dir) {
        Random rnd = new Random(3);
        List<StreamStatisticsTest.Batch> batches = new ArrayList<>();
        for (int i = 0; i < 3; i++) batches.add(StreamStatisticsTest.Batch.random(rnd, 5, i == 1));
        try (JavaBackend backend = new JavaBackend(1)) {
            for (TokenSelection sel : List.of(TokenSelection.CLS, TokenSelection.MEAN, TokenSelection.ALL)) {
                StreamStatistics joint = StreamStatisticsTest.accumulate(backend,
                        StatisticsPlan.allPairs(StreamStatisticsTest.NAMES, StreamStatisticsTest.WIDTHS, sel, TokenSelection.CLS), batches);
                StatisticsPlan plan = StatisticsPlan.rowSumsOnly(StreamStatisticsTest.NAMES, StreamStatisticsTest.WIDTHS,
                        sel, TokenSelection.CLS);
                assertTrue(plan.gramGroups().isEmpty());
                StreamStatistics sums = StreamStatisticsTest.accumulate(backend, plan, batches);
                assertEquals(joint.rows(), sums.rows(), sel.name());
                assertEquals(joint.samples(), sums.samples());
                int streams = StreamStatisticsTest.NAMES.size();
                for (int a = 0; a < streams; a++) {
                    double ss = joint.sumOfSquares(a);
                    // the Gram's trace comes from fp32 products of shifted rows; the sums-only path adds in fp64
                    assertEquals(ss, sums.sumOfSquares(a), 1e-6 * ss, "sum of squares of stream " + a);
                    for (int b = a + 1; b < streams; b++) {
                        assertEquals(joint.hasRowSums(a, b), sums.hasRowSums(a, b));
                        if (!joint.hasRowSums(a, b)) continue;
                        assertEquals(joint.rowCosineSum(a, b), sums.rowCosineSum(a, b), 1e-9 * joint.rows());
                        assertEquals(joint.rowSquaredDifferenceSum(a, b), sums.rowSquaredDifferenceSum(a, b),
                                1e-9 * Math.abs(joint.rowSquaredDifferenceSum(a, b)));
                        assertEquals(Metrics.blockRedundancy(joint, a, b), Metrics.blockRedundancy(sums, a, b), 1e-9);
                    }
                }
                double[][] cka = Metrics.similarityMatrix(sums, SimilarityMetric.CKA);
                assertTrue(Double.isNaN(cka[0][1]), "no CKA without Grams");
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sums.centredCrossGram(0, 1));
                assertTrue(e.getMessage().contains("no Gram"), e.getMessage());
                StreamStatistics twice = sums.merge(sums);
                assertEquals(2 * sums.sumOfSquares(2), twice.sumOfSquares(2), 1e-9 * sums.sumOfSquares(2));
                Path file = dir.resolve("s.stats");
                assertThrows(IllegalArgumentException.class, () -> sums.save(file));
                assertFalse(Files.exists(file), "nothing written");
            }
        }
    }
}
