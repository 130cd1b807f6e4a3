package dev.rba.core.approx;

import dev.rba.core.stats.StreamPair;
import dev.rba.core.stats.StreamStatistics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses which blocks to replace. Candidates (sets of up to {@code maxSpans} spans with a kept block between them)
 * are ranked by a {@link SpanPredictor} from the calibration statistics; the best {@code candidates} of them are then
 * checked on the held-out samples in stages (successive halving): all on a small share of the samples, the better
 * half on twice as many, and so on, until one is left, which is scored on all of them. "Better" is the smaller
 * drop, or for class scores the smaller KL divergence of the softmax from the original's (with labels, blended with the
 * true label's log-loss change). The held-out check decides; the predictor only orders the work (study:
 * docs/selection.md). The accuracy search ({@link SearchOptions#byAccuracy}) instead scores each of the candidates on
 * all held-out samples and keeps the one with the least top-1 drop.
 *
 * <p>For a largest accepted drop, the number of removed blocks grows 1, 2, ... while the chosen candidate's drop,
 * at the upper end of its 95% interval, stays within the limit; the last size that did is chosen.
 */
public final class SpanSelection {
    /** No stage checks on fewer samples than this (or all of them when there are fewer). */
    static final int MIN_STAGE_SAMPLES = 32;
    /**
     * Candidates' approximations (on the heap) and sessions are kept between stages while the model's bytes times
     * their count stay within this and a quarter of the heap.
     */
    static final long KEEP_OPEN_BYTES = 2L << 30;

    private SpanSelection() {
    }

    public static SelectionResult select(Approximator approximator, SelectionGoal goal, SearchOptions search)
            throws IOException {
        long start = System.nanoTime();
        int blocks = approximator.blockCount();
        int largest = goal.isRemove() ? goal.removeBlocks() : blocks - 1;
        if (goal.isRemove() && goal.removeBlocks() >= blocks) {
            throw new IllegalArgumentException("--remove " + goal.removeBlocks() + ": the model has " + blocks
                    + " blocks; remove at most " + (blocks - 1));
        }
        if (largest <= 0) throw new IllegalArgumentException("the model has only " + blocks + " block: nothing to select");
        List<StreamPair> pairs = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            for (int j = i; j < blocks && j - i < largest; j++) pairs.add(new StreamPair(i, j + 1));
        }
        StreamStatistics stats = approximator.statistics(pairs);
        HeldOutScore original = approximator.checkOriginal();
        if (search.byAccuracy() && (original.measure() != QualityMeasure.CLASS_SCORES || !original.hasLabels())) {
            throw new IllegalArgumentException("the accuracy search counts right answers, but "
                    + (original.measure() != QualityMeasure.CLASS_SCORES
                    ? "the model's output is " + original.measure().label() + ", not class scores"
                    : "the held-out samples have no labels")
                    + ": use the staged check (leave out --search accuracy)");
        }
        Map<Span, double[]> perSpan = new HashMap<>();

        List<Candidate> table = new ArrayList<>();
        List<SelectionResult.Stage> stages = new ArrayList<>();
        Candidate best = null;
        RunnerUp bestRunnerUp = null;
        Approximation bestModel = null;
        boolean exhausted = false;
        int firstSize = goal.isRemove() ? goal.removeBlocks() : 1;
        for (int k = firstSize; k <= largest; k++) {
            List<Candidate> ranked = rank(approximator, stats, enumerate(blocks, k, search.maxSpans()),
                    search.predictor(), perSpan);
            Staged staged = search.byAccuracy() ? checkEvery(approximator, ranked, search, start, stages)
                    : check(approximator, ranked, search, start, stages);
            exhausted |= staged.exhausted;
            Candidate sizeBest = staged.best;
            boolean accepted = goal.isRemove() || sizeBest.score().dropUpperBound() <= goal.maxDrop() + 1e-9;
            if (accepted) {
                best = sizeBest;
                bestRunnerUp = staged.runnerUp;
                bestModel = staged.model;
            }
            table.addAll(ranked);
            if (!accepted || (exhausted && !goal.isRemove())) break;
        }
        if (best != null) {
            for (int i = 0; i < table.size(); i++) {
                if (table.get(i) == best) table.set(i, best.asChosen());
            }
            best = best.asChosen();
        }
        return new SelectionResult(goal, search, table, best, bestRunnerUp, bestModel, original, approximator.split().fit().length,
                approximator.split().check().length, stages, exhausted, (System.nanoTime() - start) / 1e9);
    }

    private record Staged(Candidate best, RunnerUp runnerUp, Approximation model, boolean exhausted) {
    }

    /**
     * Successive halving over the best {@code search.candidates()} of {@code ranked} (replaced in place by their
     * checked versions). The survivor of the last stage is scored on all held-out samples; the one it beat last is its
     * runner-up, compared with it on the samples of that stage.
     */
    private static Staged check(Approximator approximator, List<Candidate> ranked, SearchOptions search, long start,
                                List<SelectionResult.Stage> stages) throws IOException {
        int all = approximator.split().check().length;
        List<Integer> alive = new ArrayList<>();
        for (int i = 0; i < Math.min(search.candidates(), ranked.size()); i++) alive.add(i);
        int rounds = 0;
        while ((1 << rounds) < alive.size()) rounds++;
        // A candidate's outputs are kept, so that a later stage runs only the samples it has not seen yet. Its
        // approximation and ONNX Runtime session are kept too while they fit in KEEP_OPEN_BYTES (for a wide model,
        // opening a session costs about as much as checking a batch); else they are rebuilt per stage.
        boolean keepOpen = approximator.modelBytes() * Math.max(1, alive.size())
                <= Math.min(KEEP_OPEN_BYTES, Runtime.getRuntime().maxMemory() / 4);
        Map<Integer, Approximator.Looks> looks = new HashMap<>();
        Map<Integer, Approximator.Checked> outputs = new HashMap<>();
        boolean exhausted = false;
        RunnerUp runnerUp = null;
        try {
            for (int round = 0; alive.size() > 1; round++) {
                if (round > 0 && overBudget(search, start)) {
                    exhausted = true;
                    break;
                }
                int samples = Math.min(all, Math.max(MIN_STAGE_SAMPLES, all >> (rounds - round)));
                stages.add(new SelectionResult.Stage(ranked.get(alive.getFirst()).blocks(), alive.size(), samples));
                for (int i : alive) {
                    Approximator.Looks l = looks.get(i);
                    if (l == null) l = approximator.looks(ranked.get(i).spans(), outputs.get(i));
                    Approximator.Checked c = l.upTo(samples);
                    outputs.put(i, c);
                    if (keepOpen) {
                        looks.put(i, l);
                    } else {
                        l.close();
                    }
                    ranked.set(i, ranked.get(i).withScore(c.score()));
                }
                alive.sort(Comparator.comparingDouble((Integer i) -> search.stageLoss(ranked.get(i).score()))
                        .thenComparingDouble(i -> ranked.get(i).drop()).thenComparingInt(i -> i));
                // the first two of the last stage run are the chosen one and its runner-up (also when the budget
                // stops the search after it)
                runnerUp = runnerUp(approximator, ranked, outputs, alive, samples, search);
                alive = new ArrayList<>(alive.subList(0, (alive.size() + 1) / 2));
                outputs.keySet().retainAll(alive);
                for (Integer i : new ArrayList<>(looks.keySet())) {
                    if (!alive.contains(i)) looks.remove(i).close();
                }
            }
            int winner = alive.getFirst();
            Approximator.Looks w = looks.get(winner);
            if (w == null) {
                w = approximator.looks(ranked.get(winner).spans(), outputs.get(winner));
                looks.put(winner, w);
            }
            Approximation model = w.model();
            if (ranked.get(winner).checkedSamples() < all) {
                stages.add(new SelectionResult.Stage(ranked.get(winner).blocks(), 1, all));
                ranked.set(winner, ranked.get(winner).withScore(w.upTo(all).score()));
            }
            return new Staged(ranked.get(winner), runnerUp, model, exhausted);
        } finally {
            for (Approximator.Looks l : looks.values()) l.close();
        }
    }

    /**
     * The accuracy search ({@link SearchOptions#byAccuracy}): the best {@code search.candidates()} of {@code ranked}, in
     * the predictor's order, each scored on all held-out samples; the one with the least top-1 drop wins, ties by the
     * staged figure, then by rank. Only the best two keep their outputs (for the runner-up's paired interval), so memory
     * does not grow with the candidates; each session closes after its one look. The budget stops it between candidates.
     */
    private static Staged checkEvery(Approximator approximator, List<Candidate> ranked, SearchOptions search, long start,
                                     List<SelectionResult.Stage> stages) throws IOException {
        int all = approximator.split().check().length;
        int n = Math.min(search.candidates(), ranked.size());
        Comparator<Candidate> better = search.accuracyOrder();
        int first = -1;
        int second = -1;
        Approximator.Looks firstLooks = null;
        Approximator.Checked firstOut = null;
        Approximator.Checked secondOut = null;
        int checked = 0;
        boolean exhausted = false;
        long checksStart = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (i > 0 && overBudget(search, start)) {
                exhausted = true;
                break;
            }
            Approximator.Looks l = approximator.looks(ranked.get(i).spans(), null);
            Approximator.Checked c;
            try {
                String stage = "check " + (i + 1) + "/" + n + timeLeft(checksStart, i, n) + ": "
                        + Span.text(ranked.get(i).spans());
                c = l.upTo(all, stage);
            } finally {
                l.close();  // the session; the approximation stays with l for the winner
            }
            ranked.set(i, ranked.get(i).withScore(c.score()));
            checked++;
            // strict: among equals the earlier (better-ranked) candidate stays ahead
            if (first < 0 || better.compare(ranked.get(i), ranked.get(first)) < 0) {
                second = first;
                secondOut = firstOut;
                first = i;
                firstOut = c;
                firstLooks = l;
            } else if (second < 0 || better.compare(ranked.get(i), ranked.get(second)) < 0) {
                second = i;
                secondOut = c;
            }
        }
        stages.add(new SelectionResult.Stage(ranked.get(first).blocks(), checked, all));
        RunnerUp runnerUp = null;
        if (second >= 0) {
            OutputComparison.Paired p = approximator.comparison().paired(firstOut.outputs(), secondOut.outputs(), all,
                    false, 0);
            runnerUp = new RunnerUp(ranked.get(second).spans(), all, false, 0, p.first(), p.second(), p.secondMinusFirst());
        }
        return new Staged(ranked.get(first), runnerUp, firstLooks.model(), exhausted);
    }

    /** ", about N min left" from the pace of the {@code done} candidates so far (none before the first is done). */
    static String timeLeft(long startNanos, int done, int total) {
        if (done == 0) return "";
        double left = (System.nanoTime() - startNanos) / 1e9 / done * (total - done);
        return left < 90 ? String.format(java.util.Locale.ROOT, ", about %.0f s left", left)
                : String.format(java.util.Locale.ROOT, ", about %.0f min left", left / 60);
    }

    /** The second of a stage's sorted candidates against the first, paired on the stage's samples. */
    private static RunnerUp runnerUp(Approximator approximator, List<Candidate> ranked,
                                     Map<Integer, Approximator.Checked> outputs, List<Integer> sorted, int samples,
                                     SearchOptions search) {
        int first = sorted.get(0);
        int second = sorted.get(1);
        OutputComparison.Paired p = approximator.comparison().paired(outputs.get(first).outputs(),
                outputs.get(second).outputs(), samples, search.byDivergence(), search.labelWeight());
        return new RunnerUp(ranked.get(second).spans(), samples, p.byDivergence(), p.labelWeight(), p.first(), p.second(),
                p.secondMinusFirst());
    }

    private static boolean overBudget(SearchOptions search, long start) {
        return search.budgetSeconds() > 0 && (System.nanoTime() - start) / 1e9 > search.budgetSeconds();
    }

    /** Candidates ordered by the predictor (ties: model order), with BR kept for reference. */
    static List<Candidate> rank(Approximator approximator, StreamStatistics stats, List<List<Span>> sets,
                                SpanPredictor predictor, Map<Span, double[]> perSpan) {
        List<Candidate> out = new ArrayList<>();
        for (List<Span> set : sets) {
            double p = 0;
            double br = 0;
            for (Span s : set) {
                double[] v = perSpan.computeIfAbsent(s, x -> new double[] {
                        approximator.predict(stats, x, predictor), approximator.blockRedundancy(stats, x)});
                p += v[0];
                br += v[1];
            }
            out.add(new Candidate(set, Double.isNaN(p) ? Double.POSITIVE_INFINITY : p, 0, br, null, false));
        }
        out.sort(Comparator.comparingDouble(Candidate::predicted));
        List<Candidate> ranked = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            Candidate c = out.get(i);
            ranked.add(new Candidate(c.spans(), c.predicted(), i + 1, c.blockRedundancy(), null, false));
        }
        return ranked;
    }

    /** Every set of 1..maxSpans spans, in model order with a kept block between them, removing k blocks in total. */
    static List<List<Span>> enumerate(int blocks, int k, int maxSpans) {
        List<List<Span>> out = new ArrayList<>();
        extend(blocks, k, maxSpans, 0, new ArrayList<>(), out);
        return out;
    }

    private static void extend(int blocks, int left, int spansLeft, int from, List<Span> current, List<List<Span>> out) {
        if (left == 0) {
            out.add(List.copyOf(current));
            return;
        }
        if (spansLeft == 0) return;
        for (int first = from; first < blocks; first++) {
            for (int len = 1; len <= left && first + len <= blocks; len++) {
                current.add(new Span(first, first + len - 1));
                extend(blocks, left - len, spansLeft - 1, first + len + 1, current, out);
                current.removeLast();
            }
        }
    }
}
