package dev.rba.core.stats;

/** The similarity measures rba reports between two streams; see {@link Metrics}. */
public enum SimilarityMetric {
    /** Mean per-row cosine on the selected rows (the paper's plots); 1 on the diagonal. */
    COSINE,
    /** Linear CKA with centring; 1 on the diagonal. */
    CKA,
    /** Mean squared difference per value; 0 on the diagonal. */
    MSE
}
