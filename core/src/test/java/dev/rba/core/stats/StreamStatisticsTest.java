package dev.rba.core.stats;

import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rba.core.linalg.Backend;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Statistics and metrics from the accumulator against plain double-precision loops over the raw rows. */
@ExtendWith(ClassBackends.class)
class StreamStatisticsTest {

    static final List<String> NAMES = List.of("h0", "h1", "h2", "h3");
    static final int[] WIDTHS = {6, 6, 6, 4};
    static final int TOKENS = 5;

    static Stream<Arguments> cases(ClassBackends.Opened backends) {
        List<Arguments> out = new ArrayList<>();
        for (Backend b : backends.list()) {
            for (TokenSelection sel : TokenSelection.values()) {
                for (boolean joint : new boolean[] {true, false}) out.add(Arguments.of(b, sel, joint));
            }
        }
        return out.stream();
    }

    /**
     * A test run once per case of {@link #cases} (backend, token selection, joint or separate Grams); the arguments
     * are not closed after each invocation because the class owns the backends ({@link ClassBackends.Opened}).
     */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "{0} {1} joint={2}", autoCloseArguments = false)
    @MethodSource("dev.rba.core.stats.StreamStatisticsTest#cases")
    @interface EachCase {
    }

    /** One synthetic batch: four streams (h1 is close to h0, h3 narrower) and a mask with padding at the end. */
    record Batch(int batch, float[][] streams, long[] mask) {
        static Batch random(Random rnd, int batch, boolean padded) {
            float[] h0 = Activations.random(rnd, batch, TOKENS, 6, 1.0, 0.5);
            float[] h1 = h0.clone();
            for (int i = 0; i < h1.length; i++) h1[i] += (float) (0.1 * rnd.nextGaussian());
            float[] h2 = Activations.random(rnd, batch, TOKENS, 6, 2.0, -0.3);
            float[] h3 = Activations.random(rnd, batch, TOKENS, 4, 1.5, 1.0);
            long[] mask = null;
            if (padded) {
                mask = new long[batch * TOKENS];
                for (int s = 0; s < batch; s++) {
                    int real = 1 + rnd.nextInt(TOKENS);
                    for (int t = 0; t < real; t++) mask[s * TOKENS + t] = 1;
                }
            }
            return new Batch(batch, new float[][] {h0, h1, h2, h3}, mask);
        }
    }

    static StatisticsPlan plan(TokenSelection sel, boolean joint) {
        TokenSelection summary = TokenSelection.CLS;
        return joint ? StatisticsPlan.allPairs(NAMES, WIDTHS, sel, summary)
                : StatisticsPlan.chosenPairs(NAMES, WIDTHS, sel, summary,
                List.of(new StreamPair(0, 1), new StreamPair(2, 0), new StreamPair(1, 3)));
    }

    static StreamStatistics accumulate(Backend backend, StatisticsPlan plan, List<Batch> batches) {
        return accumulate(backend, plan, batches, 1, Arena.ofConfined());
    }

    /** {@code arena} holds the input segments (closed here); a shared one lets worker threads read them. */
    static StreamStatistics accumulate(Backend backend, StatisticsPlan plan, List<Batch> batches, int threads,
                                       Arena inputArena) {
        return feed(new StatisticsAccumulator(backend, plan, threads), batches, inputArena);
    }

    /** Adds the batches to {@code acc} (closed here, as is {@code inputArena}) and returns its snapshot. */
    static StreamStatistics feed(StatisticsAccumulator accumulator, List<Batch> batches, Arena inputArena) {
        try (StatisticsAccumulator acc = accumulator; Arena arena = inputArena) {
            for (Batch b : batches) {
                MemorySegment[] segs = new MemorySegment[b.streams().length];
                for (int s = 0; s < segs.length; s++) segs[s] = Activations.offHeap(arena, b.streams()[s]);
                acc.add(b.batch(), TOKENS, segs, b.mask() == null ? null : TokenMask.fromLongs(b.batch(), TOKENS, b.mask()));
            }
            return acc.snapshot();
        }
    }

    static ReferenceRows[] reference(StatisticsPlan plan, List<Batch> batches) {
        ReferenceRows[] ref = new ReferenceRows[NAMES.size()];
        for (int s = 0; s < ref.length; s++) {
            ref[s] = new ReferenceRows();
            for (Batch b : batches) {
                ref[s].add(b.streams()[s], b.batch(), TOKENS, WIDTHS[s], b.mask(), plan.selection(), plan.summaryToken());
            }
        }
        return ref;
    }

    static void assertClose(double[] expected, double[] actual, double relTol, String what) {
        double scale = 0;
        for (double v : expected) scale = Math.max(scale, Math.abs(v));
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], relTol * scale, what + " [" + i + "]");
        }
    }

    /** Three random batches of 3, 4 and 2 samples drawn from {@code seed}, each padded or not as given. */
    private static List<Batch> unevenBatches(long seed, boolean padded0, boolean padded1, boolean padded2) {
        Random rnd = new Random(seed);
        return List.of(Batch.random(rnd, 3, padded0), Batch.random(rnd, 4, padded1), Batch.random(rnd, 2, padded2));
    }

    @EachCase
    void statisticsAndMetricsMatchLoopsOverRawRows(Backend backend, TokenSelection sel, boolean joint) {
        List<Batch> batches = unevenBatches(42, true, false, true);
        StatisticsPlan plan = plan(sel, joint);
        StreamStatistics stats = accumulate(backend, plan, batches);
        ReferenceRows[] ref = reference(plan, batches);

        assertEquals(ref[0].selected.size(), stats.rows());
        assertEquals(9, stats.samples());
        for (StreamPair p : plan.pairs()) {
            int a = p.a();
            int b = p.b();
            List<double[]> x = ref[a].selected;
            List<double[]> y = ref[b].selected;
            String what = sel + " " + NAMES.get(a) + "," + NAMES.get(b);
            assertClose(ReferenceRows.crossGram(x, y), stats.crossGram(a, b), 1e-6, "cross-Gram " + what);
            assertClose(ReferenceRows.crossGram(y, x), stats.crossGram(b, a), 1e-6, "cross-Gram^T " + what);
            assertClose(ReferenceRows.crossGram(x, x), stats.gram(a), 1e-6, "Gram " + what);
            assertClose(ReferenceRows.columnSums(y), stats.columnSums(b), 1e-6, "column sums " + what);
            assertEquals(ReferenceRows.cka(x, y), Metrics.cka(stats, a, b), 1e-6, "CKA " + what);
            if (WIDTHS[a] != WIDTHS[b]) {
                assertFalse(stats.hasRowSums(a, b));
                continue;
            }
            double n = x.size();
            assertEquals(ReferenceRows.cosineSum(x, y) / n, Metrics.meanCosine(stats, a, b), 1e-6, "cosine " + what);
            double mse = ReferenceRows.squaredDifferenceSum(x, y) / (n * WIDTHS[a]);
            assertEquals(mse, Metrics.mse(stats, a, b), 1e-6 * mse, "MSE " + what);
            assertEquals(mse, Metrics.mseFromGrams(stats, a, b), 1e-4 * mse + 1e-5, "MSE from Grams " + what);
            List<double[]> cx = ref[a].summary;
            List<double[]> cy = ref[b].summary;
            double br = -ReferenceRows.squaredDifferenceSum(cx, cy) / cx.size();
            assertEquals(br, Metrics.blockRedundancy(stats, a, b), 1e-6 * Math.abs(br), "BR " + what);
            assertEquals(ReferenceRows.cosineSum(cx, cy) / cx.size(), Metrics.summaryCosine(stats, a, b), 1e-6);
        }
        double[][] cka = Metrics.similarityMatrix(stats, SimilarityMetric.CKA);
        assertEquals(1.0, cka[2][2]);
        assertEquals(Metrics.cka(stats, 0, 1), cka[1][0], 0.0);
        if (!joint) assertTrue(Double.isNaN(cka[1][2]), "pair (1,2) was not accumulated");
        double[][] mse = Metrics.similarityMatrix(stats, SimilarityMetric.MSE);
        assertTrue(Double.isNaN(mse[0][3]), "MSE across widths is undefined");
    }

    @EachCase
    void mergedStatisticsEqualThoseOfTheConcatenation(Backend backend, TokenSelection sel, boolean joint) {
        List<Batch> batches = unevenBatches(7, true, true, false);
        StatisticsPlan plan = plan(sel, joint);
        StreamStatistics all = accumulate(backend, plan, batches);
        StreamStatistics merged = accumulate(backend, plan, batches.subList(0, 1))
                .merge(accumulate(backend, plan, batches.subList(1, 2)))
                .merge(accumulate(backend, plan, batches.subList(2, 3)));
        assertEquals(all.rows(), merged.rows());
        assertEquals(all.samples(), merged.samples());
        // Each pass shifts its rows by its own first batch's column means before the fp32 products, so the merged
        // passes and the concatenation round different fp32 products (and cuda sums up to 65,536 rows' products in
        // fp32 on the device): they agree to a few fp32 roundings, not to fp64's
        double tol = 64 * Math.pow(2, -24);
        for (StreamPair p : plan.pairs()) {
            assertClose(all.crossGram(p.a(), p.b()), merged.crossGram(p.a(), p.b()), tol, "cross-Gram");
            assertClose(all.centredCrossGram(p.a(), p.b()), merged.centredCrossGram(p.a(), p.b()), tol,
                    "centred cross-Gram");
            assertClose(all.columnSums(p.a()), merged.columnSums(p.a()), tol, "column sums");
            if (WIDTHS[p.a()] != WIDTHS[p.b()]) continue;
            assertEquals(all.rowCosineSum(p.a(), p.b()), merged.rowCosineSum(p.a(), p.b()), 1e-12);
            assertEquals(all.summarySquaredDifferenceSum(p.a(), p.b()),
                    merged.summarySquaredDifferenceSum(p.a(), p.b()), 1e-9);
        }
    }

    @EachCase
    void paddingRowsAreLeftOutOfEveryStatistic(Backend backend, TokenSelection sel, boolean joint) {
        Random rnd = new Random(3);
        Batch padded = Batch.random(rnd, 3, true);
        // Poison the padding: huge values, and NaN in one padded position, must not reach any statistic.
        for (float[] stream : padded.streams()) {
            int d = stream.length / (3 * TOKENS);
            for (int s = 0; s < 3; s++) {
                for (int t = 0; t < TOKENS; t++) {
                    if (padded.mask()[s * TOKENS + t] == 0) {
                        for (int c = 0; c < d; c++) stream[(s * TOKENS + t) * d + c] = c == 0 ? Float.NaN : 1e6f;
                    }
                }
            }
        }
        // The same real rows as unpadded one-sample batches of their own length: same selections, no mask.
        List<Batch> unpadded = new ArrayList<>();
        StatisticsPlan plan = plan(sel, joint);
        StreamStatistics viaMask = accumulate(backend, plan, List.of(padded));
        StreamStatistics viaSingles = null;
        for (int s = 0; s < 3; s++) {
            int real = 0;
            while (real < TOKENS && padded.mask()[s * TOKENS + real] == 1) real++;
            float[][] streams = new float[4][];
            for (int k = 0; k < 4; k++) {
                int d = WIDTHS[k];
                streams[k] = new float[real * d];
                System.arraycopy(padded.streams()[k], s * TOKENS * d, streams[k], 0, real * d);
            }
            StreamStatistics one = accumulateWithTokens(backend, plan, new Batch(1, streams, null), real);
            viaSingles = viaSingles == null ? one : viaSingles.merge(one);
            unpadded.add(new Batch(1, streams, null));
        }
        assertEquals(viaSingles.rows(), viaMask.rows());
        for (StreamPair p : plan.pairs()) {
            assertClose(viaSingles.crossGram(p.a(), p.b()), viaMask.crossGram(p.a(), p.b()), 1e-6, "cross-Gram");
            assertClose(viaSingles.columnSums(p.b()), viaMask.columnSums(p.b()), 1e-6, "column sums");
            if (WIDTHS[p.a()] != WIDTHS[p.b()]) continue;
            assertEquals(Metrics.mse(viaSingles, p.a(), p.b()), Metrics.mse(viaMask, p.a(), p.b()), 1e-9);
            assertEquals(Metrics.blockRedundancy(viaSingles, p.a(), p.b()),
                    Metrics.blockRedundancy(viaMask, p.a(), p.b()), 1e-9);
        }
    }

    private static StreamStatistics accumulateWithTokens(Backend backend, StatisticsPlan plan, Batch b, int tokens) {
        try (StatisticsAccumulator acc = new StatisticsAccumulator(backend, plan); Arena arena = Arena.ofConfined()) {
            MemorySegment[] segs = new MemorySegment[b.streams().length];
            for (int s = 0; s < segs.length; s++) segs[s] = Activations.offHeap(arena, b.streams()[s]);
            acc.add(1, tokens, segs, null);
            return acc.snapshot();
        }
    }

    @EachCase
    void workerThreadsGiveBitwiseTheSameStatistics(Backend backend, TokenSelection sel, boolean joint) {
        Random rnd = new Random(19);
        List<Batch> batches = List.of(Batch.random(rnd, 5, true), Batch.random(rnd, 3, false));
        StatisticsPlan plan = plan(sel, joint);
        StreamStatistics one = accumulate(backend, plan, batches, 1, Arena.ofConfined());
        StreamStatistics four = accumulate(backend, plan, batches, 4, Arena.ofShared());
        for (StreamPair p : plan.pairs()) {
            assertArrayEquals(one.crossGram(p.a(), p.b()), four.crossGram(p.a(), p.b()), 0.0);
            if (WIDTHS[p.a()] != WIDTHS[p.b()]) continue;
            assertEquals(one.rowCosineSum(p.a(), p.b()), four.rowCosineSum(p.a(), p.b()), 0.0);
            assertEquals(one.summarySquaredDifferenceSum(p.a(), p.b()),
                    four.summarySquaredDifferenceSum(p.a(), p.b()), 0.0);
        }
        // NaN found by a worker thread is still reported naming the stream and batch
        Batch bad = Batch.random(rnd, 2, false);
        bad.streams()[2][1] = Float.NaN; // sample 0, token 0: read by every selection
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> accumulate(backend, plan, List.of(batches.get(1), bad), 4, Arena.ofShared()));
        assertTrue(e.getMessage().contains("'h2'") && e.getMessage().contains("batch 1"), e.getMessage());
    }

    @EachCase
    void columnSumsAreUnchangedWhenNothingIsPadded(Backend backend, TokenSelection sel, boolean joint) {
        Random rnd = new Random(11);
        Batch b = Batch.random(rnd, 2, false);
        StreamStatistics stats = accumulate(backend, plan(sel, joint), List.of(b));
        ReferenceRows[] ref = reference(plan(sel, joint), List.of(b));
        assertArrayEquals(ReferenceRows.columnSums(ref[0].selected), stats.columnSums(0), 1e-4);
    }
}
