package dev.rba.core.approx;

import dev.rba.core.fit.FitMethod;
import dev.rba.core.fit.FitResult;
import dev.rba.core.fit.LinearFits;
import dev.rba.core.linalg.Backend;
import dev.rba.core.stats.Metrics;
import dev.rba.core.stats.StreamStatistics;

import java.util.function.Supplier;

/**
 * Cheap predictors of the damage a span's replacement does, computed from the calibration statistics alone (no
 * extra model run). Every value is "lower = less damage predicted"; a set of spans is predicted by the sum of its
 * spans' values. Which predictor ranks candidates by default follows the selection study (docs/selection.md).
 */
public enum SpanPredictor {
    /** Block Redundancy as the paper defines it, negated: mean squared change of the summary token. Not scale-free. */
    BR("br"),
    /** The summary token's squared change over the mean squared norm of h_out's rows. */
    BR_SCALED("br-scaled"),
    /** Mean squared change of all tokens over the centred energy (variance) of h_out. */
    MSE_OVER_VARIANCE("mse-var"),
    /** 1 - mean cosine of h_in and h_out over all tokens. */
    COSINE("cosine"),
    /** 1 - mean cosine of the summary tokens. */
    SUMMARY_COSINE("summary-cosine"),
    /** 1 - linear CKA of h_in and h_out. */
    CKA("cka"),
    /** The fit's residual over ||h_out||^2 (all tokens), for the chosen translator. */
    FIT_RESIDUAL("fit-residual"),
    /** The fit's residual over the centred energy of h_out: 1 - R^2 (all tokens). */
    FIT_UNEXPLAINED("fit-1-r2");

    public static final SpanPredictor DEFAULT = FIT_UNEXPLAINED;
    private final String label;

    SpanPredictor(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The predicted damage of replacing the blocks between stream {@code a} (h_i) and stream {@code b} (h_{j+1}). */
    public double value(StreamStatistics stats, int a, int b, FitMethod method, Backend backend) {
        return value(stats, a, b, () -> fit(stats, a, b, method, backend));
    }

    /** The same, with the span's fit (of the run's translator, from {@code stats}) from {@code fit} when it needs one. */
    public double value(StreamStatistics stats, int a, int b, Supplier<FitResult> fit) {
        return switch (this) {
            case BR -> -Metrics.blockRedundancy(stats, a, b);
            case BR_SCALED -> -Metrics.blockRedundancy(stats, a, b) / (stats.sumOfSquares(b) / stats.rows());
            case MSE_OVER_VARIANCE -> stats.rowSquaredDifferenceSum(a, b) / centredEnergy(stats, b);
            case COSINE -> 1 - Metrics.meanCosine(stats, a, b);
            case SUMMARY_COSINE -> 1 - Metrics.summaryCosine(stats, a, b);
            case CKA -> 1 - Metrics.cka(stats, a, b);
            case FIT_RESIDUAL -> fit.get().relativeResidual();
            case FIT_UNEXPLAINED -> fit.get().relativeResidual() * stats.sumOfSquares(b)
                    / centredEnergy(stats, b);
        };
    }

    private static FitResult fit(StreamStatistics stats, int a, int b, FitMethod method, Backend backend) {
        return LinearFits.fit(stats, a, b, method, backend);
    }

    /** ||Y - 1 mean(Y)||_F^2 = ||Y||_F^2 - ||sum of rows||^2 / n. */
    static double centredEnergy(StreamStatistics stats, int b) {
        double[] s = stats.columnSums(b);
        double sq = 0;
        for (double v : s) sq += v * v;
        return Math.max(Double.MIN_NORMAL, stats.sumOfSquares(b) - sq / stats.rows());
    }
}
