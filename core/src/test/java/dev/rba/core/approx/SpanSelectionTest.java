package dev.rba.core.approx;

import dev.rba.core.fit.FitMethod;
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
class SpanSelectionTest extends OnVitFixture {
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
    void removeKChecksTheBestRankedCandidatesInHalvingStages() throws Exception {
        ApproximationOptions o = ApproximationOptions.defaults().withSamples(48, 128).withBatchSize(32).withSeed(3)
                .withRuntime(1, false);
        Approximator approx = new Approximator(model, data, backend, o, ProgressListener.NONE);
        SearchOptions search = new SearchOptions(4, 2, SpanPredictor.FIT_UNEXPLAINED, 0);
        SelectionResult r = SpanSelection.select(approx, SelectionGoal.remove(2), search);
        assertEquals(48, r.fitSamples());
        assertEquals(128, r.checkSamples());
        assertEquals(48 + 128, new HashSet<>(java.util.Arrays.stream(concat(approx.split().fit(), approx.split().check())).boxed().toList()).size(),
                "fit and check samples are disjoint");
        assertEquals(SpanSelection.enumerate(8, 2, 2).size(), r.candidates().size());
        assertEquals(QualityMeasure.CLASS_SCORES, r.measure(), "logits [batch, 10] are class scores");
        // 4 candidates: 4 on 128/4 = 32 samples, 2 on 64, then the survivor on all 128
        assertEquals(List.of(new SelectionResult.Stage(2, 4, 32), new SelectionResult.Stage(2, 2, 64),
                new SelectionResult.Stage(2, 1, 128)), r.stages());
        var stats = approx.statistics(List.of());
        int[] onSamples = new int[129];
        for (int i = 0; i < r.candidates().size(); i++) {
            Candidate c = r.candidates().get(i);
            assertEquals(i + 1, c.rank());
            if (i > 0) assertTrue(c.predicted() >= r.candidates().get(i - 1).predicted(), "ranked by the predictor");
            // a set's prediction is the sum of its spans' 1 - R^2 from the same statistics
            double sum = 0;
            for (Span s : c.spans()) sum += approx.predict(stats, s, SpanPredictor.FIT_UNEXPLAINED);
            assertEquals(sum, c.predicted(), 1e-12 * Math.max(1, Math.abs(sum)));
            if (c.checked()) onSamples[c.checkedSamples()]++;
            else assertTrue(i >= 4, "only the best 4 are checked");
        }
        assertEquals(2, onSamples[32], "half eliminated after the first stage");
        assertEquals(1, onSamples[64]);
        assertEquals(1, onSamples[128]);
        Candidate chosen = r.chosen();
        assertEquals(128, chosen.checkedSamples());
        assertEquals(chosen.spans(), r.approximation().spans());
        assertEquals(1, r.candidates().stream().filter(Candidate::chosen).count());
        // the chosen one's score is what scoring its model on all held-out samples gives
        assertEquals(chosen.drop(), approx.check(r.approximation()).drop(), 1e-12);
        assertTrue(chosen.score().dropInterval().low() <= chosen.drop() && chosen.drop() <= chosen.score().dropInterval().high());
        // the runner-up is the one the chosen beat on 64 samples, both compared there by the figure the stage ordered
        // by (labelled data: the KL blended with the true label's log-loss change): each figure is what checking that
        // model on the first 64 held-out samples gives
        RunnerUp second = r.runnerUp();
        assertNotNull(second);
        Candidate lost = r.candidates().stream().filter(c -> c.checkedSamples() == 64).findFirst().orElseThrow();
        assertEquals(lost.spans(), second.spans());
        assertEquals(64, second.samples());
        assertTrue(second.byDivergence());
        assertEquals(SearchOptions.DEFAULT_LABEL_WEIGHT, second.labelWeight());
        assertEquals("kl+labels", second.figure());
        HeldOutScore chosen64 = approx.check(r.approximation(), 64);
        HeldOutScore lost64 = approx.check(approx.approximate(lost.spans()), 64);
        double w = SearchOptions.DEFAULT_LABEL_WEIGHT;
        assertEquals((1 - w) * chosen64.klDivergence() + w * chosen64.logLossChange(), second.chosen(), 1e-12);
        assertEquals(search.stageLoss(lost64), second.runnerUp(), 1e-12);
        assertEquals(search.stageLoss(lost.score()), second.runnerUp(), 1e-12);
        assertTrue(second.gap() >= 0, "the stage kept the one with the smaller figure");
        Interval gap = second.difference();
        assertTrue(gap.low() <= second.gap() + 1e-12 && second.gap() <= gap.high() + 1e-12, gap + " holds " + second.gap());
        assertEquals(gap.low() <= 0 && gap.high() >= 0, second.tiedWithinNoise());
    }

    @Test
    void accuracySearchScoresEveryCandidateOnAllSamplesAndChoosesTheMostAccurate() throws Exception {
        ApproximationOptions o = ApproximationOptions.defaults().withSamples(48, 96).withBatchSize(32).withSeed(5)
                .withRuntime(1, false);
        Approximator approx = new Approximator(model, data, backend, o, ProgressListener.NONE);
        SearchOptions search = new SearchOptions(Integer.MAX_VALUE, 2, SpanPredictor.FIT_UNEXPLAINED, 0).withAccuracy();
        SelectionResult r = SpanSelection.select(approx, SelectionGoal.remove(2), search);
        int sets = SpanSelection.enumerate(8, 2, 2).size();
        assertEquals(List.of(new SelectionResult.Stage(2, sets, 96)), r.stages(), "one pass: every set on all samples");
        assertEquals("accuracy", search.stageFigure(r.original()));
        // the reference: each set fitted and scored afresh on all held-out samples, its top-1 counted
        double best = Double.POSITIVE_INFINITY;
        double bestTie = Double.POSITIVE_INFINITY;
        List<Span> expected = null;
        for (Candidate c : r.candidates()) {
            assertEquals(96, c.checkedSamples(), "every candidate ran on all samples");
            HeldOutScore fresh = approx.check(approx.approximate(c.spans()));
            assertEquals(fresh.accuracy(), c.score().accuracy(), 1e-12);
            double tie = search.stageLoss(fresh);
            if (fresh.drop() < best || (fresh.drop() == best && tie < bestTie)) {
                best = fresh.drop();
                bestTie = tie;
                expected = c.spans();
            }
        }
        assertEquals(expected, r.chosen().spans(), "the least top-1 drop, ties by the staged figure");
        assertEquals(expected, r.approximation().spans());
        assertEquals(best, r.chosen().drop(), 1e-12);
        // the runner-up: the second least drop (paired on all samples, by drop)
        RunnerUp second = r.runnerUp();
        assertEquals("drop", second.figure());
        assertEquals(96, second.samples());
        assertEquals(r.chosen().drop(), second.chosen(), 1e-9);
        double secondDrop = r.candidates().stream().filter(c -> !c.chosen()).mapToDouble(Candidate::drop).min().orElseThrow();
        assertEquals(secondDrop, second.runnerUp(), 1e-9);
        assertTrue(second.gap() >= 0);
    }

    @Test
    void accuracySearchStopsBetweenCandidatesWhenTheBudgetRunsOut() throws Exception {
        ApproximationOptions o = ApproximationOptions.defaults().withSamples(32, 64).withBatchSize(32).withRuntime(1, false);
        Approximator approx = new Approximator(model, data, backend, o, ProgressListener.NONE);
        SearchOptions search = new SearchOptions(Integer.MAX_VALUE, 1, SpanPredictor.FIT_UNEXPLAINED, 1e-9).withAccuracy();
        SelectionResult r = SpanSelection.select(approx, SelectionGoal.remove(1), search);
        assertTrue(r.budgetExhausted());
        assertEquals(1, r.candidates().stream().filter(Candidate::checked).count(), "the first always runs, then none");
        assertEquals(1, r.chosen().rank());
        assertNull(r.runnerUp());
    }

    @Test
    void oneCandidateIsScoredOnceOnAllSamples() throws Exception {
        ApproximationOptions o = ApproximationOptions.defaults().withSamples(32, 64).withBatchSize(32).withRuntime(1, false);
        Approximator approx = new Approximator(model, data, backend, o, ProgressListener.NONE);
        SelectionResult r = SpanSelection.select(approx, SelectionGoal.remove(1), new SearchOptions(1, 1, SpanPredictor.BR, 0));
        assertEquals(List.of(new SelectionResult.Stage(1, 1, 64)), r.stages());
        assertEquals(1, r.candidates().getFirst().rank());
        assertTrue(r.candidates().getFirst().chosen(), "the best by BR is the only one checked");
        assertNull(r.runnerUp(), "nothing to compare the only candidate with");
    }

    @Test
    void maxDropStopsAtTheFirstSizeWhoseUpperBoundIsOverTheLimit() throws Exception {
        ApproximationOptions o = ApproximationOptions.defaults().withMethod(FitMethod.IDENTITY).withSamples(32, 64)
                .withBatchSize(32).withRuntime(1, false);
        Approximator approx = new Approximator(model, data, backend, o, ProgressListener.NONE);
        SelectionResult r = SpanSelection.select(approx, SelectionGoal.maxDrop(1.5), new SearchOptions(2, 1, null, 0));
        int lastSize = r.candidates().getLast().blocks();
        for (Candidate c : r.candidates()) {
            if (c.checked() && c.blocks() < lastSize && c.checkedSamples() == 64) {
                assertTrue(c.score().dropUpperBound() <= 1.5, "sizes below the last were accepted on their upper bound");
            }
        }
        if (r.found()) assertTrue(r.chosen().score().dropUpperBound() <= 1.5);
        if (lastSize < 7) {
            Candidate lastBest = r.candidates().stream().filter(c -> c.blocks() == lastSize && c.checkedSamples() == 64)
                    .findFirst().orElseThrow();
            assertTrue(lastBest.score().dropUpperBound() > 1.5, "the search stopped at a size whose best failed");
        }
        assertThrows(IllegalArgumentException.class, () -> SpanSelection.select(approx, SelectionGoal.remove(8), SearchOptions.defaults()));
        assertThrows(IllegalArgumentException.class, () -> SelectionGoal.maxDrop(-1));
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
