package dev.rba.core.approx;

/**
 * How a model does on held-out samples (never used to fit T), compared with the original model on the same samples.
 *
 * @param measure             how the output was compared ({@link QualityMeasure})
 * @param samples             held-out samples scored
 * @param accuracy            top-1 accuracy against the labels (class scores with labels), else NaN
 * @param agreement           fraction of samples whose top-1 equals the original's (class scores), else NaN
 * @param agreementInterval   Wilson 95% interval of the agreement (NaNs when not class scores)
 * @param klDivergence        mean KL(softmax(original) || softmax(model)) per sample (class scores), else NaN
 * @param cosine              mean cosine to the original: of the mean-pooled token vectors (token embeddings) or of
 *                            the output vectors (otherwise)
 * @param tokenRelativeError  ||y - y0|| / ||y0|| over the unmasked tokens (token embeddings), else NaN
 * @param outputRelativeError ||y - y0||_F / ||y0||_F over the whole output of all samples
 * @param drop                the drop in points in the measure's terms ({@link QualityMeasure}); 0 for the original
 * @param dropInterval        95% bootstrap interval of the drop (paired over samples)
 * @param logLossChange       mean change of the true label's negative log-likelihood under the softmax, model minus
 *                            original, in nats (class scores with labels), else NaN: what a labelled staged check
 *                            blends with the KL divergence ({@link SearchOptions#labelWeight()})
 */
public record HeldOutScore(QualityMeasure measure, int samples, double accuracy, double agreement,
                           Interval agreementInterval, double klDivergence, double cosine, double tokenRelativeError,
                           double outputRelativeError, double drop, Interval dropInterval,
                           double logLossChange) {

    public boolean hasLabels() {
        return !Double.isNaN(accuracy);
    }

    /** The largest drop the samples allow (upper end of the interval): what {@code --max-drop} is held to. */
    public double dropUpperBound() {
        return dropInterval.high();
    }

    /** What the drop is a drop of, in a few words. */
    public String dropMeaning() {
        return switch (measure) {
            case CLASS_SCORES -> hasLabels() ? "points of top-1 accuracy" : "points of top-1 agreement";
            case TOKEN_EMBEDDINGS -> "100 x (1 - cosine of the mean-pooled token vectors)";
            case POOLED_EMBEDDING -> "100 x (1 - cosine of the output vectors)";
            case RELATIVE_L2 -> "100 x relative L2 error of the output";
        };
    }
}
