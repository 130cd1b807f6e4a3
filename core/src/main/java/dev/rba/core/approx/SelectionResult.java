package dev.rba.core.approx;

import java.util.List;

/**
 * The outcome of a {@link SpanSelection}: every candidate ranked (checked ones with their held-out scores), the
 * chosen one and its approximated model (null when no candidate met the goal), the original's held-out score, and
 * how many samples fitted T and how many checked it.
 */
public record SelectionResult(SelectionGoal goal, List<Candidate> candidates, Candidate chosen, Approximation approximation,
                              HeldOutScore original, int fitSamples, int checkSamples) {
    public SelectionResult {
        candidates = List.copyOf(candidates);
    }

    public boolean found() {
        return chosen != null;
    }
}
