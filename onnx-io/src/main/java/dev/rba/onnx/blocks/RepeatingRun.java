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
     * <p>For each period p the segments i with sig[i] == sig[i + p] form maximal stretches; a stretch of r matches
     * starting at i0 spans r + p segments, i.e. floor((r + p) / p) whole copies, which may start at any of the
     * leftover offsets. A block must contain a matrix product ({@code computes}), so that a repeated Add or Cast is not
     * taken for one. Only stretches of r >= p give two copies, and each of them holds a multiple of p: so for each p
     * only the m / p positions j = 0, p, 2p, ... are tested, and a matching one is extended both ways to its stretch
     * by longest-common-extension queries (binary search over prefix hashes), after which the scan resumes past the
     * stretch. That is O(m log m) tests and O(m log^2 m) time for m segments, where comparing every i for every p
     * took O(m^2) (hours for 200,000 segments). The hashes are two independent polynomial hashes modulo 2^61 - 1:
     * two different stretches agree on both with a probability near m / 2^122 per query.
     */
    static List<RepeatingRun> best(int[] sig, boolean[] computes) {
        int m = sig.length;
        int[] computing = new int[m + 1];   // prefix counts: whether any segment of a range computes, in O(1)
        for (int i = 0; i < m; i++) computing[i + 1] = computing[i] + (computes[i] ? 1 : 0);
        List<RepeatingRun> best = new ArrayList<>();
        if (computing[m] == 0) return best;
        Extensions lce = new Extensions(sig);
        List<int[]> winners = new ArrayList<>();   // {start, span} of the stretches with the best cover and repetitions
        int bestCover = 0;
        int bestReps = 0;
        int bestPeriod = 0;
        for (int p = 1; 2 * p <= m && bestCover < m; p++) {
            int j = 0;
            while (j + p < m) {
                if (sig[j] != sig[j + p]) {
                    j += p;
                    continue;
                }
                int start = j - lce.backward(j, j + p);
                int end = j + lce.forward(j, j + p);   // sig[i] == sig[i + p] for start <= i < end, not at end
                j = (end / p + 1) * p;
                int span = (end - start) + p;
                int reps = span / p;
                if (reps < 2 || computing[start + p] == computing[start]) continue;
                int cover = reps * p;
                if (cover < bestCover || (cover == bestCover && reps < bestReps)) continue;
                if (cover > bestCover || reps > bestReps) {
                    winners.clear();
                    bestCover = cover;
                    bestReps = reps;
                    bestPeriod = p;
                }
                winners.add(new int[] {start, span});
            }
        }
        for (int[] w : winners) {
            for (int offset = 0; offset <= w[1] - bestCover; offset++) best.add(new RepeatingRun(w[0] + offset, bestPeriod, bestReps));
        }
        return best;
    }

    /** Longest common extensions of two positions of a sequence, forward and backward, from prefix hashes. */
    private static final class Extensions {
        private static final long MOD = (1L << 61) - 1;
        private final int[] sig;
        private final long[] h1;
        private final long[] h2;
        private final long[] pow1;
        private final long[] pow2;

        Extensions(int[] sig) {
            this.sig = sig;
            int m = sig.length;
            java.util.SplittableRandom random = new java.util.SplittableRandom();
            long b1 = random.nextLong(1L << 20, MOD - 1);
            long b2 = random.nextLong(1L << 20, MOD - 1);
            h1 = new long[m + 1];
            h2 = new long[m + 1];
            pow1 = new long[m + 1];
            pow2 = new long[m + 1];
            pow1[0] = 1;
            pow2[0] = 1;
            for (int i = 0; i < m; i++) {
                long v = (sig[i] & 0xffffffffL) + 1;
                h1[i + 1] = add(mul(h1[i], b1), v);
                h2[i + 1] = add(mul(h2[i], b2), v);
                pow1[i + 1] = mul(pow1[i], b1);
                pow2[i + 1] = mul(pow2[i], b2);
            }
        }

        /** The largest x with sig[a + k] == sig[b + k] for 0 <= k < x (a < b). */
        int forward(int a, int b) {
            int most = sig.length - b;
            return longest(most, x -> same(a, b, x));
        }

        /** The largest x with sig[a - k] == sig[b - k] for 1 <= k <= x (a < b). */
        int backward(int a, int b) {
            return longest(a, x -> same(a - x, b - x, x));
        }

        /** Largest x in [0, most] with agrees(x), for a predicate true up to some x and false after: galloping. */
        private static int longest(int most, java.util.function.IntPredicate agrees) {
            int good = 0;
            int step = 1;
            while (good < most) {
                int next = (int) Math.min(most, (long) good + step);
                if (!agrees.test(next)) {
                    int lo = good;
                    int hi = next - 1;
                    while (lo < hi) {
                        int mid = (lo + hi + 1) >>> 1;
                        if (agrees.test(mid)) lo = mid;
                        else hi = mid - 1;
                    }
                    return lo;
                }
                good = next;
                step *= 2;
            }
            return good;
        }

        /** Whether sig[a, a + len) equals sig[b, b + len). */
        private boolean same(int a, int b, int len) {
            return hash(h1, pow1, a, len) == hash(h1, pow1, b, len) && hash(h2, pow2, a, len) == hash(h2, pow2, b, len);
        }

        private static long hash(long[] h, long[] pow, int from, int len) {
            return add(h[from + len], MOD - mul(h[from], pow[len]));
        }

        private static long add(long a, long b) {
            long s = a + b;
            return s >= MOD ? s - MOD : s;
        }

        private static long mul(long a, long b) {
            long hi = Math.multiplyHigh(a, b);
            long lo = a * b;
            // a * b = hi * 2^64 + lo; 2^64 = 8 (mod 2^61 - 1), and lo's top 3 bits are 2^61 times their value
            long r = (lo & MOD) + (lo >>> 61) + (hi << 3);
            r = (r & MOD) + (r >>> 61);
            return r >= MOD ? r - MOD : r;
        }
    }
}
