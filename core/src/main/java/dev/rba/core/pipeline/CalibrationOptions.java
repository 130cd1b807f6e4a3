package dev.rba.core.pipeline;

import dev.rba.core.stats.StreamPair;
import dev.rba.core.stats.TokenSelection;

import java.util.List;

/**
 * How a {@link CalibrationPass} runs.
 *
 * @param batchSize        samples per ONNX Runtime run ({@link CalibrationPass} runs 1 where the model fixes its
 *                         batch at 1)
 * @param ortThreads       ONNX Runtime intra-op threads (0 = its default, one per core)
 * @param cudaProvider     run the model with ONNX Runtime's CUDA execution provider (needs its GPU build)
 * @param summaryToken     the token Block Redundancy reads: CLS or MEAN; null = decide from the model
 *                         ({@link SummaryToken#choose})
 * @param similarityTokens rows the similarity matrices are taken over (CLS, ALL or MEAN); null = the summary token.
 *                         ALL shares the fit statistics; CLS or MEAN adds a second, cheap accumulator (one row per
 *                         sample)
 * @param maxSpan          longest span (in blocks) whose cross-statistics must be kept when the model is too wide
 *                         for one joint Gram of all h_k; 0 = all spans
 * @param allTokenGrams    accumulate the all-token Grams and cross-Grams of every pair (what fits, all-token
 *                         similarity and saved statistics need). Without them a pass keeps only the similarity rows
 *                         (class or mean token, one row per sample), which is all that Block Redundancy needs: for
 *                         a ViT the all-token Grams of every pair cost about as much as the forward pass itself
 * @param fitPairs         the only (h_a, h_b) pairs whose all-token statistics are wanted (a fit of span i-j reads
 *                         (i, j+1)), or null for every span up to {@code maxSpan}. With pairs the pass captures only
 *                         their h_k from the model and keeps one (d_a + d_b)^2 Gram per pair, whatever the number of
 *                         blocks not fitted
 * @param similarityGrams  keep what CKA of the similarity rows needs: for rows that are one per sample (CLS, mean)
 *                         the cheaper of the rows plus one n x n kernel per h_k (sample space) and one joint Gram of
 *                         every h_k (((L+1) d)^2 fp64, 14 GB for a 32-block d=1280 model); without it only per-pair
 *                         sums are kept, which is all that cosine, MSE and Block Redundancy read
 */
public record CalibrationOptions(int batchSize, int ortThreads, boolean cudaProvider, TokenSelection summaryToken,
                                 TokenSelection similarityTokens, int maxSpan, boolean allTokenGrams,
                                 List<StreamPair> fitPairs, boolean similarityGrams) {
    /** With similarity Grams. */
    public CalibrationOptions(int batchSize, int ortThreads, boolean cudaProvider, TokenSelection summaryToken,
                              TokenSelection similarityTokens, int maxSpan, boolean allTokenGrams,
                              List<StreamPair> fitPairs) {
        this(batchSize, ortThreads, cudaProvider, summaryToken, similarityTokens, maxSpan, allTokenGrams, fitPairs, true);
    }

    /** Every span up to {@code maxSpan} (no chosen pairs). */
    public CalibrationOptions(int batchSize, int ortThreads, boolean cudaProvider, TokenSelection summaryToken,
                              TokenSelection similarityTokens, int maxSpan, boolean allTokenGrams) {
        this(batchSize, ortThreads, cudaProvider, summaryToken, similarityTokens, maxSpan, allTokenGrams, null);
    }

    /** With all-token Grams (what fits need). */
    public CalibrationOptions(int batchSize, int ortThreads, boolean cudaProvider, TokenSelection summaryToken,
                              TokenSelection similarityTokens, int maxSpan) {
        this(batchSize, ortThreads, cudaProvider, summaryToken, similarityTokens, maxSpan, true);
    }

    public CalibrationOptions {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        if (ortThreads < 0) throw new IllegalArgumentException("ONNX Runtime threads must be 0 or positive, got " + ortThreads);
        if (summaryToken == TokenSelection.ALL) {
            throw new IllegalArgumentException("the Block Redundancy token must be cls or mean, not all");
        }
        if (maxSpan < 0) throw new IllegalArgumentException("max span must be 0 (all) or positive, got " + maxSpan);
        if (fitPairs != null) {
            if (fitPairs.isEmpty()) throw new IllegalArgumentException("chosen fit pairs must not be empty (null = all spans)");
            fitPairs = List.copyOf(fitPairs);
        }
    }

    /** Batches of 32, ORT's default threads on the CPU, summary token from the model, similarity on it, all spans. */
    public static CalibrationOptions defaults() {
        return new CalibrationOptions(32, 0, false, null, null, 0, true);
    }

    public CalibrationOptions withBatchSize(int n) {
        return new CalibrationOptions(n, ortThreads, cudaProvider, summaryToken, similarityTokens, maxSpan, allTokenGrams, fitPairs, similarityGrams);
    }

    public CalibrationOptions withRuntime(int threads, boolean cuda) {
        return new CalibrationOptions(batchSize, threads, cuda, summaryToken, similarityTokens, maxSpan, allTokenGrams, fitPairs, similarityGrams);
    }

    public CalibrationOptions withSummaryToken(TokenSelection token) {
        return new CalibrationOptions(batchSize, ortThreads, cudaProvider, token, similarityTokens, maxSpan, allTokenGrams, fitPairs, similarityGrams);
    }

    public CalibrationOptions withSimilarityTokens(TokenSelection tokens) {
        return new CalibrationOptions(batchSize, ortThreads, cudaProvider, summaryToken, tokens, maxSpan, allTokenGrams, fitPairs, similarityGrams);
    }

    /** Only the similarity rows (and the Block Redundancy sums) when they are not all tokens; see {@code allTokenGrams}. */
    public CalibrationOptions withAllTokenGrams(boolean wanted) {
        return new CalibrationOptions(batchSize, ortThreads, cudaProvider, summaryToken, similarityTokens, maxSpan, wanted, fitPairs, similarityGrams);
    }

    /** Only these pairs' all-token statistics (null: every span up to the max span); see {@code fitPairs}. */
    public CalibrationOptions withFitPairs(List<StreamPair> pairs) {
        return new CalibrationOptions(batchSize, ortThreads, cudaProvider, summaryToken, similarityTokens, maxSpan, allTokenGrams, pairs, similarityGrams);
    }

    /** With or without the similarity rows' Grams (CKA); see {@code similarityGrams}. */
    public CalibrationOptions withSimilarityGrams(boolean wanted) {
        return new CalibrationOptions(batchSize, ortThreads, cudaProvider, summaryToken, similarityTokens, maxSpan,
                allTokenGrams, fitPairs, wanted);
    }

    public CalibrationOptions withMaxSpan(int k) {
        return new CalibrationOptions(batchSize, ortThreads, cudaProvider, summaryToken, similarityTokens, k, allTokenGrams, fitPairs, similarityGrams);
    }
}
