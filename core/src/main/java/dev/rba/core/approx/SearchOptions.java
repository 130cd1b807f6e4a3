package dev.rba.core.approx;

import java.util.Comparator;

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
 * @param labelWeight   with labelled held-out samples (class scores, by divergence), what a stage orders by is
 *                      (1 - w) x the KL divergence + w x the change of the true label's log-loss: KL alone measures
 *                      fidelity to the original, which is not accuracy where the original is miscalibrated; the
 *                      log-loss change is accuracy's smooth form, but noisier. 0 = KL alone, 1 = labels alone
 * @param byAccuracy    the accuracy search instead of the staged check: every candidate (up to {@code candidates}) is
 *                      scored on all held-out samples, no halving, and the most accurate one (top-1 against the labels)
 *                      is chosen, ties by the staged figure. It needs labelled class scores. Fidelity figures, even on
 *                      thousands of samples, do not find the most accurate set on augmented or under-trained models;
 *                      counting right answers does, but only on thousands of samples per candidate (the study's fifth
 *                      and sixth rounds, docs/selection.md), so it costs candidates x samples forward passes
 */
public record SearchOptions(int candidates, int maxSpans, SpanPredictor predictor, double budgetSeconds,
                            boolean byDivergence, double labelWeight, boolean byAccuracy) {
    public static final int DEFAULT_CANDIDATES = 8;
    public static final int DEFAULT_MAX_SPANS = 3;
    /** Chosen in the study's fifth round (docs/selection.md). */
    public static final double DEFAULT_LABEL_WEIGHT = 0.25;
    /** Held-out samples the accuracy search wants: the least N at which counting met the study's targets. */
    public static final int ACCURACY_CHECK_SAMPLES = 2000;

    public SearchOptions {
        if (candidates <= 0) throw new IllegalArgumentException("--candidates must be at least 1, got " + candidates);
        if (maxSpans <= 0) throw new IllegalArgumentException("--max-spans must be at least 1, got " + maxSpans);
        if (predictor == null) predictor = SpanPredictor.DEFAULT;
        if (!(budgetSeconds >= 0) || Double.isInfinite(budgetSeconds)) {
            throw new IllegalArgumentException("--budget must be a number of seconds >= 0 (0 = none), got " + budgetSeconds);
        }
        if (!(labelWeight >= 0 && labelWeight <= 1)) {
            throw new IllegalArgumentException("--label-weight must be between 0 and 1, got " + labelWeight);
        }
    }

    public SearchOptions(int candidates, int maxSpans, SpanPredictor predictor, double budgetSeconds,
                         boolean byDivergence, double labelWeight) {
        this(candidates, maxSpans, predictor, budgetSeconds, byDivergence, labelWeight, false);
    }

    public SearchOptions(int candidates, int maxSpans, SpanPredictor predictor, double budgetSeconds) {
        this(candidates, maxSpans, predictor, budgetSeconds, true);
    }

    /** By KL (with the default label weight) or by drop. */
    public SearchOptions(int candidates, int maxSpans, SpanPredictor predictor, double budgetSeconds, boolean byDivergence) {
        this(candidates, maxSpans, predictor, budgetSeconds, byDivergence, byDivergence ? DEFAULT_LABEL_WEIGHT : 0);
    }

    public static SearchOptions defaults() {
        return new SearchOptions(DEFAULT_CANDIDATES, DEFAULT_MAX_SPANS, SpanPredictor.DEFAULT, 0, true);
    }

    public SearchOptions withCandidates(int n) {
        return new SearchOptions(n, maxSpans, predictor, budgetSeconds, byDivergence, labelWeight, byAccuracy);
    }

    public SearchOptions withPredictor(SpanPredictor p) {
        return new SearchOptions(candidates, maxSpans, p, budgetSeconds, byDivergence, labelWeight, byAccuracy);
    }

    /**
     * The label weight that applies to a check scored like {@code s}: {@link #labelWeight} for class scores with
     * labels ordered by divergence, else 0.
     */
    public double labelWeightFor(HeldOutScore s) {
        return byDivergence && s.measure() == QualityMeasure.CLASS_SCORES && s.hasLabels() ? labelWeight : 0;
    }

    /** The accuracy search: every candidate on all held-out samples, the most accurate chosen ({@link #byAccuracy}). */
    public SearchOptions withAccuracy() {
        return new SearchOptions(candidates, maxSpans, predictor, budgetSeconds, byDivergence, labelWeight, true);
    }

    /**
     * What the stages of a check scored like {@code s} order by: "kl", "kl+labels" (the blend) or "drop"; "accuracy"
     * for the accuracy search.
     */
    public String stageFigure(HeldOutScore s) {
        return byAccuracy ? "accuracy" : stagedFigure(s);
    }

    /** What the staged check orders by, and the accuracy search breaks ties by: "kl", "kl+labels" or "drop". */
    public String stagedFigure(HeldOutScore s) {
        return !byDivergence || s.measure() != QualityMeasure.CLASS_SCORES ? "drop" : labelWeightFor(s) > 0 ? "kl+labels" : "kl";
    }

    /**
     * What a stage orders candidates by (lower = better): the drop, or for class scores (when by divergence) the
     * softmax's KL divergence, blended with the true label's log-loss change when the samples have labels
     * ({@link #labelWeight}). The accuracy search orders by the drop first and breaks its ties by this.
     */
    public double stageLoss(HeldOutScore s) {
        if (!byDivergence || s.measure() != QualityMeasure.CLASS_SCORES) return s.drop();
        double w = labelWeightFor(s);
        return w == 0 ? s.klDivergence() : (1 - w) * s.klDivergence() + w * s.logLossChange();
    }

    /**
     * The accuracy search's order of checked candidates, best first: the least top-1 drop, ties by
     * {@link #stageLoss}. The search chooses by it and the report lists by it.
     */
    public Comparator<Candidate> accuracyOrder() {
        return Comparator.comparingDouble(Candidate::drop).thenComparingDouble(c -> stageLoss(c.score()));
    }

    public SearchOptions withLabelWeight(double w) {
        return new SearchOptions(candidates, maxSpans, predictor, budgetSeconds, byDivergence, w, byAccuracy);
    }
}
