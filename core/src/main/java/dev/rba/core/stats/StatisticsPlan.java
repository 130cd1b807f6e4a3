package dev.rba.core.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a statistics pass accumulates: the streams (name and width), the token selection the Grams see, the summary
 * token that Block Redundancy reads (CLS, or MEAN for models without a class token), the pairs whose cross-statistics
 * are wanted, and the Gram layout.
 *
 * <p>Layout: {@code joint} keeps one Gram of the column-concatenation of every stream, which holds every Gram and
 * cross-Gram at once (13 streams of d=768: a 9,984^2 fp64 matrix, 800 MB); otherwise each pair keeps the Gram of its
 * own [h_a | h_b] ((d_a + d_b)^2 values), which is cheaper when only a few pairs are needed. Without {@code grams}
 * (similarity rows for cosine, MSE and Block Redundancy only, no CKA) no Gram is kept at all: O(pairs) memory.
 */
public record StatisticsPlan(List<String> names, int[] widths, TokenSelection selection, TokenSelection summaryToken,
                             List<StreamPair> pairs, boolean joint, boolean grams) {

    /** With Grams (the joint one or one per pair). */
    public StatisticsPlan(List<String> names, int[] widths, TokenSelection selection, TokenSelection summaryToken,
                          List<StreamPair> pairs, boolean joint) {
        this(names, widths, selection, summaryToken, pairs, joint, true);
    }

    public StatisticsPlan {
        names = List.copyOf(names);
        widths = widths.clone();
        pairs = List.copyOf(pairs);
        if (names.isEmpty() || names.size() != widths.length) {
            throw new IllegalArgumentException("statistics plan needs one width per stream name (got " + names.size()
                    + " names, " + widths.length + " widths)");
        }
        if (new HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("stream names must be distinct: " + names);
        }
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] <= 0) {
                throw new IllegalArgumentException("stream '" + names.get(i) + "' has width " + widths[i]
                        + ": widths must be positive");
            }
        }
        if (summaryToken == TokenSelection.ALL) {
            throw new IllegalArgumentException("the Block Redundancy token must be cls or mean, not all");
        }
        Set<StreamPair> seen = new HashSet<>();
        for (StreamPair p : pairs) {
            if (p.a() >= names.size() || p.b() >= names.size()) {
                throw new IllegalArgumentException("stream pair " + p + " names a stream beyond the " + names.size()
                        + " streams of the plan");
            }
            if (!seen.add(p.canonical())) {
                throw new IllegalArgumentException("stream pair " + p + " is listed twice");
            }
        }
        if (joint && !grams) throw new IllegalArgumentException("a joint layout is a Gram: it cannot go without one");
        long jointCols = 0;
        for (int w : widths) jointCols += w;
        if (joint && jointCols * jointCols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a joint Gram of " + jointCols + " columns does not fit one array: "
                    + "accumulate chosen pairs instead");
        }
    }

    /** Every pair of streams over one joint Gram: what similarity matrices need. */
    public static StatisticsPlan allPairs(List<String> names, int[] widths, TokenSelection selection,
                                          TokenSelection summaryToken) {
        List<StreamPair> pairs = new ArrayList<>();
        for (int a = 0; a < names.size(); a++) {
            for (int b = a + 1; b < names.size(); b++) pairs.add(new StreamPair(a, b));
        }
        return new StatisticsPlan(names, widths, selection, summaryToken, pairs, true);
    }

    /**
     * Every pair's per-row sums (cosine, squared difference, Block Redundancy) and no Gram: what similarity matrices
     * without CKA need, in memory that does not grow with the width or the number of streams beyond one number per pair.
     */
    public static StatisticsPlan rowSumsOnly(List<String> names, int[] widths, TokenSelection selection,
                                             TokenSelection summaryToken) {
        List<StreamPair> pairs = new ArrayList<>();
        for (int a = 0; a < names.size(); a++) {
            for (int b = a + 1; b < names.size(); b++) pairs.add(new StreamPair(a, b));
        }
        return new StatisticsPlan(names, widths, selection, summaryToken, pairs, false, false);
    }

    /** Only the given pairs, each with its own [h_a | h_b] Gram: O(d^2) per pair. */
    public static StatisticsPlan chosenPairs(List<String> names, int[] widths, TokenSelection selection,
                                             TokenSelection summaryToken, List<StreamPair> pairs) {
        if (pairs.isEmpty()) throw new IllegalArgumentException("chosen-pairs statistics need at least one pair");
        return new StatisticsPlan(names, widths, selection, summaryToken, pairs, false);
    }

    public int streamCount() {
        return names.size();
    }

    public int width(int stream) {
        return widths[stream];
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    /** Index of a stream by name; a one-line error when absent. */
    public int indexOf(String name) {
        int i = names.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("no stream named '" + name + "' in the statistics: " + names);
        return i;
    }

    /**
     * Whether each stream enters any statistic: all of them in the joint layout, else only the ends of the listed
     * pairs. A calibration pass captures only these from the model (the others may be passed as null).
     */
    public boolean[] usedStreams() {
        boolean[] used = new boolean[names.size()];
        if (joint) {
            Arrays.fill(used, true);
        } else {
            for (StreamPair p : pairs) {
                used[p.a()] = true;
                used[p.b()] = true;
            }
        }
        return used;
    }

    /** Bytes of this plan's fp64 Grams (one copy): (sum of the group's widths)^2 x 8 per group. */
    public long gramBytes() {
        long bytes = 0;
        for (int[] group : gramGroups()) {
            long cols = groupWidth(group);
            bytes += cols * cols * Double.BYTES;
        }
        return bytes;
    }

    /** Columns of the widest Gram (0 without Grams). */
    public long widestGram() {
        long widest = 0;
        for (int[] group : gramGroups()) widest = Math.max(widest, groupWidth(group));
        return widest;
    }

    private long groupWidth(int[] group) {
        long cols = 0;
        for (int s : group) cols += widths[s];
        return cols;
    }

    /** The stream groups whose joint Grams are accumulated: one group of all streams, or one per pair. */
    List<int[]> gramGroups() {
        List<int[]> groups = new ArrayList<>();
        if (!grams) return groups;
        if (joint) {
            int[] all = new int[names.size()];
            for (int i = 0; i < all.length; i++) all[i] = i;
            groups.add(all);
        } else {
            for (StreamPair p : pairs) {
                StreamPair c = p.canonical();
                groups.add(new int[] {c.a(), c.b()});
            }
        }
        return groups;
    }

    /** Same streams, selection, pairs and layout: the condition for merging. */
    boolean sameShapeAs(StatisticsPlan other) {
        if (!names.equals(other.names) || !Arrays.equals(widths, other.widths)
                || selection != other.selection || summaryToken != other.summaryToken || joint != other.joint
                || grams != other.grams) {
            return false;
        }
        // pair order matters: per-pair sums are stored by position
        return pairs.equals(other.pairs);
    }
}
