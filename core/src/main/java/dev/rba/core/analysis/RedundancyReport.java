package dev.rba.core.analysis;

import java.util.List;

/**
 * The result of a redundancy analysis.
 *
 * @param blocks        number of blocks L (streams are h_0..h_L)
 * @param samples       calibration samples the statistics cover
 * @param rows          token rows the all-token statistics cover (padding excluded)
 * @param summaryToken  "cls" or "mean": the token Block Redundancy read
 * @param spans         every span up to the max length, best (highest BR) first; empty when BR was not asked for
 * @param matrices      one similarity matrix per requested metric (BR included as a matrix when asked for)
 */
public record RedundancyReport(int blocks, long samples, long rows, String summaryToken, List<SpanScore> spans,
                               List<SimilarityTable> matrices) {
    public RedundancyReport {
        spans = List.copyOf(spans);
        matrices = List.copyOf(matrices);
    }

    /** The best span of each length, in length order. */
    public List<SpanScore> bestPerLength() {
        java.util.Map<Integer, SpanScore> best = new java.util.TreeMap<>();
        for (SpanScore s : spans) best.putIfAbsent(s.length(), s);
        return List.copyOf(best.values());
    }
}
