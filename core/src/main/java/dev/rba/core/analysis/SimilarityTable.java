package dev.rba.core.analysis;

/**
 * One similarity matrix over h_0..h_L: {@code values[a][b]} compares h_a with h_b. Pairs the statistics do not cover
 * are NaN.
 *
 * @param metric "cosine", "cka", "mse" or "br" (the BR matrix holds -mean ||h_b - h_a||^2 on the summary token)
 * @param tokens rows it was taken over: "cls", "all" or "mean"
 */
public record SimilarityTable(String metric, String tokens, double[][] values) {

    public int size() {
        return values.length;
    }

    /** Whether larger values mean more similar (all but MSE). */
    public boolean higherIsSimilar() {
        return !metric.equals("mse");
    }
}
