package dev.rba.core.analysis;

import java.util.EnumSet;
import java.util.Set;

/**
 * @param metrics what to report: BR ranks spans, the others give similarity matrices
 * @param maxSpan longest span in blocks that is ranked; 0 = all
 */
public record AnalysisOptions(Set<AnalysisMetric> metrics, int maxSpan) {
    public AnalysisOptions {
        if (metrics == null || metrics.isEmpty()) throw new IllegalArgumentException("no metric given: use br, cosine, cka or mse");
        metrics = Set.copyOf(EnumSet.copyOf(metrics));
        if (maxSpan < 0) throw new IllegalArgumentException("--max-span must be 0 (all) or positive, got " + maxSpan);
    }

    public static AnalysisOptions all() {
        return new AnalysisOptions(EnumSet.allOf(AnalysisMetric.class), 0);
    }
}
