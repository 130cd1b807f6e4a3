package dev.rba.core.approx;

/**
 * How a model does on the held-out check samples (never used to fit T).
 *
 * @param samples             held-out samples scored
 * @param accuracy            top-1 accuracy against the labels, NaN when the data has none
 * @param agreement           fraction of samples whose top-1 prediction equals the original model's
 * @param outputRelativeError ||y - y_orig||_F / ||y_orig||_F over the scored output of all samples
 */
public record HeldOutScore(int samples, double accuracy, double agreement, double outputRelativeError) {

    public boolean hasLabels() {
        return !Double.isNaN(accuracy);
    }

    /**
     * The drop against {@code original} in percentage points: of top-1 accuracy when labels exist, else of agreement
     * with the original (whose agreement with itself is 100%).
     */
    public double dropFrom(HeldOutScore original) {
        return hasLabels() ? 100 * (original.accuracy - accuracy) : 100 * (1 - agreement);
    }
}
