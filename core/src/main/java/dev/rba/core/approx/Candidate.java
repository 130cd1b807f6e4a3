package dev.rba.core.approx;

import java.util.List;

/**
 * One candidate of a selection.
 *
 * @param spans           the spans replaced together, in model order
 * @param blockRedundancy sum of the spans' Block Redundancy (higher, closer to 0, = more redundant)
 * @param brRank          1-based rank by Block Redundancy among the candidates removing as many blocks
 * @param score           held-out score, null when the candidate was ranked but not checked
 * @param drop            held-out drop in percentage points (NaN when not checked)
 * @param chosen          whether this candidate was picked
 */
public record Candidate(List<Span> spans, double blockRedundancy, int brRank, HeldOutScore score, double drop,
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

    Candidate withScore(HeldOutScore s, double d) {
        return new Candidate(spans, blockRedundancy, brRank, s, d, chosen);
    }

    Candidate asChosen() {
        return new Candidate(spans, blockRedundancy, brRank, score, drop, true);
    }
}
