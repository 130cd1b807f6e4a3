package dev.rba.core.approx;

import dev.rba.core.stats.StreamPair;
import dev.rba.core.stats.StreamStatistics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses which blocks to replace. Candidates (single spans, or sets of up to {@code maxSpans} spans separated by at
 * least one kept block) are ranked by Block Redundancy from the statistics; the best {@code checkCount} of them are
 * then approximated and run on the held-out samples, and the one with the smallest drop wins. BR alone is a weak
 * predictor of the accuracy a replacement keeps (the method's known weakness), so the held-out run decides.
 *
 * <p>For a largest accepted drop, the number of removed blocks grows 1, 2, ... while the best checked candidate stays
 * within the drop; the last size that did is chosen (so larger sizes are not tried once one size fails).
 */
public final class SpanSelection {
    private SpanSelection() {
    }

    /**
     * @param checkCount candidates per size run on the held-out samples (at least 1)
     * @param maxSpans   most spans in one candidate (1: single spans only)
     */
    public static SelectionResult select(Approximator approximator, SelectionGoal goal, int checkCount, int maxSpans)
            throws IOException {
        if (checkCount <= 0) throw new IllegalArgumentException("--candidates must be at least 1, got " + checkCount);
        if (maxSpans <= 0) throw new IllegalArgumentException("--max-spans must be at least 1, got " + maxSpans);
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

        List<Candidate> table = new ArrayList<>();
        Candidate best = null;
        Approximation bestModel = null;
        int firstSize = goal.isRemove() ? goal.removeBlocks() : 1;
        for (int k = firstSize; k <= largest; k++) {
            List<Candidate> ranked = rank(approximator, stats, enumerate(blocks, k, maxSpans));
            Candidate sizeBest = null;
            Approximation sizeBestModel = null;
            for (int c = 0; c < ranked.size(); c++) {
                Candidate cand = ranked.get(c);
                if (c < checkCount) {
                    Approximation a = approximator.approximate(cand.spans());
                    HeldOutScore s = approximator.check(a);
                    cand = cand.withScore(s, s.dropFrom(original));
                    ranked.set(c, cand);
                    if (sizeBest == null || better(cand, sizeBest)) {
                        sizeBest = cand;
                        sizeBestModel = a;
                    }
                }
            }
            boolean accepted = sizeBest != null && (goal.isRemove() || sizeBest.drop() <= goal.maxDrop() + 1e-9);
            if (accepted) {
                best = sizeBest;
                bestModel = sizeBestModel;
            }
            table.addAll(ranked);
            if (!accepted) break;
        }
        if (best != null) {
            for (int i = 0; i < table.size(); i++) {
                if (table.get(i) == best) table.set(i, best.asChosen());
            }
            best = best.asChosen();
        }
        return new SelectionResult(goal, table, best, bestModel, original, approximator.split().fit().length,
                approximator.split().check().length);
    }

    /** Smaller drop wins; on a tie the higher BR (more redundant by the statistics). */
    private static boolean better(Candidate a, Candidate b) {
        if (a.drop() != b.drop()) return a.drop() < b.drop();
        return a.blockRedundancy() > b.blockRedundancy();
    }

    private static List<Candidate> rank(Approximator approximator, StreamStatistics stats, List<List<Span>> sets) {
        List<Candidate> out = new ArrayList<>();
        for (List<Span> set : sets) {
            double br = 0;
            for (Span s : set) br += approximator.blockRedundancy(stats, s);
            out.add(new Candidate(set, br, 0, null, Double.NaN, false));
        }
        out.sort(Comparator.comparingDouble(Candidate::blockRedundancy).reversed());
        List<Candidate> ranked = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            Candidate c = out.get(i);
            ranked.add(new Candidate(c.spans(), c.blockRedundancy(), i + 1, null, Double.NaN, false));
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
