package dev.rba.onnx.blocks;

import java.util.ArrayList;
import java.util.List;

/**
 * A stretch of residual-stream segments that repeats with some period: {@code repetitions} copies of
 * {@code period} consecutive segments starting at segment {@code firstSegment}. The boundaries of the blocks are the
 * cut points {@code firstSegment + j * period} for j = 0..repetitions.
 */
record RepeatingRun(int firstSegment, int period, int repetitions) {

    int coveredSegments() {
        return period * repetitions;
    }

    int endSegment() {
        return firstSegment + coveredSegments();
    }

    /** Cut-point index of block boundary j (0..repetitions). */
    int boundaryCut(int j) {
        return firstSegment + j * period;
    }

    /**
     * Every run that covers the most segments (then has the most repetitions), in all alignments: a post-norm
     * encoder's embedding LayerNorm looks like the end of a block, so the same repetition can start one LayerNorm
     * early; the caller breaks such ties (names, then the latest-ending run). Empty when nothing repeats twice.
     *
     * <p>For each period p the segments i with sig[i] == sig[i + p] form maximal runs; a run of r matches starting at
     * i0 spans r + p segments, i.e. floor((r + p) / p) whole copies, which may start at any of the leftover offsets.
     * A block must contain a matrix product ({@code computes}), so that a repeated Add or Cast is not taken for one.
     * That is up to O(m^2 / 2) comparisons of small integers for m segments (a few dozen in a real encoder), but
     * O(m) in the cases a long graph makes likely: no segment computes (a chain of Identity or Cast nodes: no run
     * can qualify), or one period covers every segment (no longer period can cover more, and at equal cover a
     * longer period has fewer repetitions).
     */
    static List<RepeatingRun> best(int[] sig, boolean[] computes) {
        int m = sig.length;
        List<RepeatingRun> best = new ArrayList<>();
        if (!anyComputes(computes, 0, m)) return best;
        int bestCover = 0;
        int bestReps = 0;
        for (int p = 1; 2 * p <= m && bestCover < m; p++) {
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
                if (reps < 2 || !anyComputes(computes, start, p)) continue;
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

    /** Whether any of the p segments from {@code start} computes (their signatures repeat, so any copy will do). */
    private static boolean anyComputes(boolean[] computes, int start, int p) {
        for (int i = start; i < start + p; i++) if (computes[i]) return true;
        return false;
    }
}
