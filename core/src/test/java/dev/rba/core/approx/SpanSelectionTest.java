package dev.rba.core.approx;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.fit.FitMethod;
import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.Backends;
import dev.rba.core.pipeline.LoadedModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Candidate enumeration by closed-form counts, and the checked selection on the ViT fixture. */
class SpanSelectionTest {
    private static LoadedModel model;
    private static CalibrationData data;
    private static Backend backend;

    @BeforeAll
    static void open() throws Exception {
        model = VitFixture.open();
        data = VitFixture.testImages(model);
        backend = Backends.open("java").backend();
    }

    @AfterAll
    static void close() {
        if (backend != null) backend.close();
        if (model != null) model.close();
    }

    @Test
    void enumerationCountsMatchClosedForms() {
        // single spans of k blocks among L: L - k + 1
        assertEquals(8 - 3 + 1, SpanSelection.enumerate(8, 3, 1).size());
        // two spans of lengths a + b = k with a kept block between: for each split, C(L - k + 1, 2) placements
        // (choose the 2 gaps-separated positions among L - k + 1 slots); k = 3 has splits (1,2) and (2,1)
        int L = 8;
        int k = 3;
        int two = 2 * ((L - k + 1) * (L - k) / 2);
        assertEquals(L - k + 1 + two, SpanSelection.enumerate(L, k, 2).size());
        Set<List<Span>> unique = new HashSet<>(SpanSelection.enumerate(L, k, 3));
        assertEquals(SpanSelection.enumerate(L, k, 3).size(), unique.size());
        for (List<Span> set : unique) assertEquals(k, Span.totalBlocks(set));
    }

    @Test
    void removeKChecksTheBestRankedCandidatesOnHeldOutSamples() throws Exception {
        ApproximationOptions o = ApproximationOptions.defaults().withSamples(48, 96).withBatchSize(32).withSeed(3)
                .withRuntime(1, false);
        Approximator approx = new Approximator(model, data, backend, o, ProgressListener.NONE);
        SelectionResult r = SpanSelection.select(approx, SelectionGoal.remove(2), 3, 2);
        assertEquals(48, r.fitSamples());
        assertEquals(96, r.checkSamples());
        assertEquals(48 + 96, new HashSet<>(java.util.Arrays.stream(concat(approx.split().fit(), approx.split().check())).boxed().toList()).size(),
                "fit and check samples are disjoint");
        assertEquals(SpanSelection.enumerate(8, 2, 2).size(), r.candidates().size());
        int checked = 0;
        double bestDrop = Double.POSITIVE_INFINITY;
        for (int i = 0; i < r.candidates().size(); i++) {
            Candidate c = r.candidates().get(i);
            assertEquals(i + 1, c.brRank());
            if (i > 0) assertTrue(c.blockRedundancy() <= r.candidates().get(i - 1).blockRedundancy());
            if (c.checked()) {
                checked++;
                assertEquals(96, c.score().samples());
                bestDrop = Math.min(bestDrop, c.drop());
            } else {
                assertNull(c.score());
            }
        }
        assertEquals(3, checked);
        assertNotNull(r.chosen());
        assertEquals(bestDrop, r.chosen().drop());
        assertEquals(r.chosen().spans(), r.approximation().spans());
        assertEquals(1, r.candidates().stream().filter(Candidate::chosen).count());
        // BR of a set is the sum of its spans' BR from the same statistics
        Candidate top = r.candidates().getFirst();
        var stats = approx.statistics(List.of());
        double sum = 0;
        for (Span s : top.spans()) sum += dev.rba.core.stats.Metrics.blockRedundancy(stats, s.inputBoundary(), s.outputBoundary());
        assertEquals(sum, top.blockRedundancy(), 1e-12 * Math.abs(sum));
    }

    @Test
    void maxDropStopsAtTheFirstSizeOverTheLimit() throws Exception {
        ApproximationOptions o = ApproximationOptions.defaults().withMethod(FitMethod.IDENTITY).withSamples(32, 64)
                .withBatchSize(32).withRuntime(1, false);
        Approximator approx = new Approximator(model, data, backend, o, ProgressListener.NONE);
        // a negative drop is impossible to meet only if every candidate loses something; 0 points is the strictest
        SelectionResult r = SpanSelection.select(approx, SelectionGoal.maxDrop(0), 1, 1);
        int lastSize = r.candidates().getLast().blocks();
        for (Candidate c : r.candidates()) {
            if (c.checked() && c.blocks() < lastSize) assertTrue(c.drop() <= 1e-9, "sizes below the last were accepted");
        }
        if (r.found()) assertTrue(r.chosen().drop() <= 1e-9);
        assertThrows(IllegalArgumentException.class, () -> SpanSelection.select(approx, SelectionGoal.remove(8), 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SelectionGoal.maxDrop(-1));
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
