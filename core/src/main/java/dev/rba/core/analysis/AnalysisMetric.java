package dev.rba.core.analysis;

import dev.rba.core.stats.SimilarityMetric;

import java.util.Locale;

/** What an analysis reports: Block Redundancy of spans, and similarity matrices over all pairs of h_k. */
public enum AnalysisMetric {
    /** Block Redundancy on the summary token: -(1/|S|) sum ||h_b - h_a||^2; higher (closer to 0) is more redundant. */
    BR(null),
    COSINE(SimilarityMetric.COSINE),
    CKA(SimilarityMetric.CKA),
    MSE(SimilarityMetric.MSE);

    private final SimilarityMetric similarity;

    AnalysisMetric(SimilarityMetric similarity) {
        this.similarity = similarity;
    }

    /** The similarity metric behind this one, or null for BR. */
    public SimilarityMetric similarity() {
        return similarity;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
