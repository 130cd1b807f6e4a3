package dev.rba.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rba.core.linalg.Backend;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-computed Block Redundancy, CKA invariances, file round trip and rejection, NaN rejection. */
class StatisticsEdgeCasesTest {

    static final Backend BACKEND = new NaiveTestBackend();

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static StreamStatistics accumulate(StatisticsPlan plan, int batch, int tokens, float[][]... batches) {
        try (StatisticsAccumulator acc = new StatisticsAccumulator(BACKEND, plan); Arena arena = Arena.ofConfined()) {
            for (float[][] streams : batches) {
                MemorySegment[] segs = new MemorySegment[streams.length];
                for (int s = 0; s < segs.length; s++) segs[s] = Activations.offHeap(arena, streams[s]);
                acc.add(batch, tokens, segs, null);
            }
            return acc.snapshot();
        }
    }

    @Test
    void blockRedundancyMatchesAHandComputation() {
        // Two samples, two tokens, d = 2. CLS rows: h0 = (1,2), (0,1); h1 = (1,0), (3,1).
        // ||(0,-2)||^2 = 4, ||(3,0)||^2 = 9, so BR = -(4 + 9) / 2 = -6.5.
        float[] h0 = {1, 2, 9, 9, 0, 1, 9, 9};
        float[] h1 = {1, 0, 7, 7, 3, 1, 7, 7};
        StatisticsPlan plan = StatisticsPlan.allPairs(List.of("h0", "h1"), new int[] {2, 2}, TokenSelection.ALL,
                TokenSelection.CLS);
        StreamStatistics stats = accumulate(plan, 2, 2, new float[][] {h0, h1});
        assertEquals(-6.5, Metrics.blockRedundancy(stats, 0, 1), 1e-12);
        // Mean token instead (models without CLS): means h0 = (5,5.5), (4.5,5); h1 = (4,3.5), (5,4).
        // ||(-1,-2)||^2 = 5, ||(0.5,-1)||^2 = 1.25, so BR = -3.125.
        StatisticsPlan meanPlan = StatisticsPlan.allPairs(List.of("h0", "h1"), new int[] {2, 2}, TokenSelection.ALL,
                TokenSelection.MEAN);
        assertEquals(-3.125, Metrics.blockRedundancy(accumulate(meanPlan, 2, 2, new float[][] {h0, h1}), 0, 1), 1e-12);
        // Cosine on CLS rows: cos((1,2),(1,0)) = 1/sqrt5, cos((0,1),(3,1)) = 1/sqrt10.
        double cos = (1 / Math.sqrt(5) + 1 / Math.sqrt(10)) / 2;
        assertEquals(cos, Metrics.summaryCosine(stats, 0, 1), 1e-7);
    }

    @Test
    void ckaIsOneUnderOrthogonalTransformAndScaling() {
        Random rnd = new Random(5);
        int rows = 200;
        int d = 8;
        float[] x = Activations.random(rnd, rows, 1, d, 1.0, 0.2);
        double[] q = Activations.randomOrthogonal(rnd, d);
        double[] scaledQ = q.clone();
        for (int i = 0; i < scaledQ.length; i++) scaledQ[i] *= 3.5;
        float[] y = Activations.map(x, rows, d, scaledQ, d, rnd, 0);
        float[] z = Activations.random(rnd, rows, 1, d, 1.0, 0.0);
        float[] z2 = z.clone();
        for (int i = 0; i < z2.length; i++) z2[i] *= 0.01f;
        StatisticsPlan plan = StatisticsPlan.allPairs(List.of("x", "xq", "z", "z2"), new int[] {d, d, d, d},
                TokenSelection.CLS, TokenSelection.CLS);
        StreamStatistics stats = accumulate(plan, rows, 1, new float[][] {x, y, z, z2});
        assertEquals(1.0, Metrics.cka(stats, 0, 1), 1e-5, "CKA(X, 3.5 X Q)");
        assertEquals(Metrics.cka(stats, 0, 2), Metrics.cka(stats, 0, 3), 1e-6, "CKA invariant to isotropic scaling");
        assertTrue(Metrics.cka(stats, 0, 2) < 0.3, "independent noise has low CKA");
        assertEquals(Metrics.cka(stats, 0, 2), Metrics.cka(stats, 2, 0), 1e-12, "CKA is symmetric");
    }

    private static StreamStatistics sample(Random rnd) {
        StatisticsPlan plan = StatisticsPlan.chosenPairs(List.of("h0", "h1", "h2"), new int[] {3, 3, 2},
                TokenSelection.MEAN, TokenSelection.CLS, List.of(new StreamPair(0, 1), new StreamPair(1, 2)));
        return accumulate(plan, 4, 3, new float[][] {Activations.random(rnd, 4, 3, 3, 1, 0),
                Activations.random(rnd, 4, 3, 3, 1, 0), Activations.random(rnd, 4, 3, 2, 1, 0)});
    }

    @Test
    void saveThenLoadIsExact(@TempDir Path dir) throws IOException {
        StreamStatistics stats = sample(new Random(1));
        Path file = dir.resolve("calib.rbastats");
        stats.save(file);
        StreamStatistics back = StreamStatistics.load(file);
        assertEquals(stats.names(), back.names());
        assertEquals(stats.plan().pairs(), back.plan().pairs());
        assertEquals(stats.plan().selection(), back.plan().selection());
        assertEquals(stats.rows(), back.rows());
        assertEquals(stats.samples(), back.samples());
        assertArrayEquals(stats.crossGram(0, 1), back.crossGram(0, 1), 0.0);
        assertArrayEquals(stats.crossGram(2, 1), back.crossGram(2, 1), 0.0);
        assertArrayEquals(stats.columnSums(2), back.columnSums(2), 0.0);
        assertEquals(stats.rowCosineSum(0, 1), back.rowCosineSum(0, 1), 0.0);
        assertEquals(stats.summarySquaredDifferenceSum(0, 1), back.summarySquaredDifferenceSum(0, 1), 0.0);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void truncatedOrForeignFilesAreRejectedWithOneLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("calib.rbastats");
        sample(new Random(2)).save(file);
        byte[] bytes = Files.readAllBytes(file);
        for (int cut : new int[] {3, 20, bytes.length / 2, bytes.length - 9, bytes.length - 1}) {
            Path cutFile = dir.resolve("cut" + cut);
            Files.write(cutFile, Arrays.copyOf(bytes, cut));
            IOException e = assertThrows(IOException.class, () -> StreamStatistics.load(cutFile));
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("damaged"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
        Path foreign = dir.resolve("foreign.bin");
        Files.writeString(foreign, "PK\u0003\u0004 this is a zip, not statistics");
        IOException e = assertThrows(IOException.class, () -> StreamStatistics.load(foreign));
        assertTrue(e.getMessage().contains("not an rba statistics file"), e.getMessage());
    }

    @Test
    void nanOrInfIsRejectedNamingStreamAndBatch() {
        StatisticsPlan plan = StatisticsPlan.allPairs(List.of("h0", "h7"), new int[] {4, 4}, TokenSelection.ALL,
                TokenSelection.CLS);
        Random rnd = new Random(9);
        try (StatisticsAccumulator acc = new StatisticsAccumulator(BACKEND, plan); Arena arena = Arena.ofConfined()) {
            for (int batch = 0; batch < 3; batch++) {
                float[] h0 = Activations.random(rnd, 2, 3, 4, 1, 0);
                float[] h7 = Activations.random(rnd, 2, 3, 4, 1, 0);
                if (batch == 2) h7[(1 * 3 + 2) * 4 + 3] = Float.POSITIVE_INFINITY;
                MemorySegment[] segs = {Activations.offHeap(arena, h0), Activations.offHeap(arena, h7)};
                if (batch < 2) {
                    acc.add(2, 3, segs, null);
                } else {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> acc.add(2, 3, segs, null));
                    assertTrue(e.getMessage().contains("'h7'") && e.getMessage().contains("batch 2")
                            && e.getMessage().contains("sample 1, token 2"), e.getMessage());
                }
            }
            assertEquals(12, acc.snapshot().rows(), "the rejected batch added nothing");
        }
        float[] withNan = new float[8];
        withNan[5] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> accumulate(plan, 1, 2, new float[][] {withNan, new float[8]}));
    }

    @Test
    void mismatchedPlansDoNotMerge() {
        StreamStatistics a = sample(new Random(1));
        StatisticsPlan other = StatisticsPlan.allPairs(List.of("h0", "h1", "h2"), new int[] {3, 3, 2},
                TokenSelection.MEAN, TokenSelection.CLS);
        StreamStatistics b = accumulate(other, 1, 3, new float[][] {new float[9], new float[9], new float[6]});
        assertThrows(IllegalArgumentException.class, () -> a.merge(b));
    }
}
