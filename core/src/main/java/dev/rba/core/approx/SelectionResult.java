package dev.rba.core.approx;

import java.util.List;

/**
 * The outcome of a {@link SpanSelection}: every candidate ranked (checked ones with their held-out scores on the most
 * samples they reached), the chosen one and its approximated model (null when no candidate met the goal), the
 * runner-up of the chosen one's last comparison (null when it had none: a single candidate checked), the
 * original's held-out score, the stages run, and whether the time budget cut the search short.
 */
public record SelectionResult(SelectionGoal goal, SearchOptions search, List<Candidate> candidates, Candidate chosen,
                              RunnerUp runnerUp, Approximation approximation, HeldOutScore original, int fitSamples, int checkSamples,
                              List<Stage> stages, boolean budgetExhausted, double seconds) {
    /** One stage of the staged check: how many candidates of which size ran on how many samples. */
    public record Stage(int blocks, int candidates, int samples) {
    }

    public SelectionResult {
        candidates = List.copyOf(candidates);
        stages = List.copyOf(stages);
    }

    public boolean found() {
        return chosen != null;
    }

    public QualityMeasure measure() {
        return original.measure();
    }
}
