package dev.rba.core.eval;

/**
 * How close a model's outputs are to the baseline's on the same samples.
 *
 * @param samples     samples compared
 * @param sameTop1    samples whose top-1 prediction (arg-max of the output vector) equals the baseline's
 * @param meanCosine  mean over samples of the cosine between the two output vectors
 * @param minCosine   the smallest such cosine
 * @param maxAbsDiff  the largest absolute difference of any output element
 */
public record Agreement(int samples, int sameTop1, double meanCosine, double minCosine, double maxAbsDiff) {
    /** Fraction of samples with the baseline's top-1 prediction. */
    public double top1Agreement() {
        return samples == 0 ? Double.NaN : (double) sameTop1 / samples;
    }
}
