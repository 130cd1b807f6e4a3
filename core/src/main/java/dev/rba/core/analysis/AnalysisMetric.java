package dev.rba.core.analysis;

import dev.rba.core.stats.SimilarityMetric;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

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

    /** Parses a comma-separated list like {@code br,cosine,cka,mse}; unknown names give a one-line error. */
    public static Set<AnalysisMetric> parseList(String text) {
        Set<AnalysisMetric> out = EnumSet.noneOf(AnalysisMetric.class);
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            AnalysisMetric found = null;
            for (AnalysisMetric m : values()) if (m.label().equalsIgnoreCase(p)) found = m;
            if (found == null) throw new IllegalArgumentException("unknown metric '" + p + "': use br, cosine, cka or mse (comma-separated)");
            out.add(found);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no metric given: use br, cosine, cka or mse (comma-separated)");
        return out;
    }
}
