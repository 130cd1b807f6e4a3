package dev.rba.core.approx;

/**
 * How much a selection checks.
 *
 * @param candidates    candidates per size that enter the staged check (the best by the predictor)
 * @param maxSpans      most spans in one candidate (1: single spans only)
 * @param predictor     what ranks the candidates before any check
 * @param budgetSeconds wall time after which no further stage starts (the current best is then scored on all
 *                      held-out samples); 0 for no limit
 * @param byDivergence  for class scores, order candidates within a stage by the KL divergence of their softmax from
 *                      the original's rather than by the top-1 drop: a continuous figure separates candidates that
 *                      a few hundred samples' counts of changed predictions cannot (docs/selection.md)
 */
public record SearchOptions(int candidates, int maxSpans, SpanPredictor predictor, double budgetSeconds,
                            boolean byDivergence) {
    public static final int DEFAULT_CANDIDATES = 8;
    public static final int DEFAULT_MAX_SPANS = 3;

    public SearchOptions {
        if (candidates <= 0) throw new IllegalArgumentException("--candidates must be at least 1, got " + candidates);
        if (maxSpans <= 0) throw new IllegalArgumentException("--max-spans must be at least 1, got " + maxSpans);
        if (predictor == null) predictor = SpanPredictor.DEFAULT;
        if (!(budgetSeconds >= 0) || Double.isInfinite(budgetSeconds)) {
            throw new IllegalArgumentException("--budget must be a number of seconds >= 0 (0 = none), got " + budgetSeconds);
        }
    }

    public SearchOptions(int candidates, int maxSpans, SpanPredictor predictor, double budgetSeconds) {
        this(candidates, maxSpans, predictor, budgetSeconds, true);
    }

    public static SearchOptions defaults() {
        return new SearchOptions(DEFAULT_CANDIDATES, DEFAULT_MAX_SPANS, SpanPredictor.DEFAULT, 0, true);
    }

    public SearchOptions withCandidates(int n) {
        return new SearchOptions(n, maxSpans, predictor, budgetSeconds, byDivergence);
    }

    public SearchOptions withPredictor(SpanPredictor p) {
        return new SearchOptions(candidates, maxSpans, p, budgetSeconds, byDivergence);
    }
}
