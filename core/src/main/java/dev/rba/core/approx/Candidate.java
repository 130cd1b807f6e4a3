package dev.rba.core.approx;

import java.util.List;

/**
 * One candidate of a selection.
 *
 * @param spans           the spans replaced together, in model order
 * @param predicted       the ranking predictor's value summed over the spans (lower = less damage predicted)
 * @param rank            1-based rank by the predictor among the candidates removing as many blocks
 * @param blockRedundancy sum of the spans' Block Redundancy (higher, closer to 0, = more redundant), for reference
 * @param score           held-out score on the most samples it was checked on, null when not checked
 * @param chosen          whether this candidate was picked
 */
public record Candidate(List<Span> spans, double predicted, int rank, double blockRedundancy, HeldOutScore score,
                        boolean chosen) {
    public Candidate {
        spans = List.copyOf(spans);
    }

    public int blocks() {
        return Span.totalBlocks(spans);
    }

    public boolean checked() {
        return score != null;
    }

    /** Held-out drop in points on the samples it was checked on (NaN when not checked). */
    public double drop() {
        return score == null ? Double.NaN : score.drop();
    }

    /** Samples it was checked on (0 when not checked). */
    public int checkedSamples() {
        return score == null ? 0 : score.samples();
    }

    Candidate withScore(HeldOutScore s) {
        return new Candidate(spans, predicted, rank, blockRedundancy, s, chosen);
    }

    Candidate asChosen() {
        return new Candidate(spans, predicted, rank, blockRedundancy, score, true);
    }
}
