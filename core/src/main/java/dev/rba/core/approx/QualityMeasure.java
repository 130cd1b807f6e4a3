package dev.rba.core.approx;

import java.util.Locale;

/**
 * How an approximated model's output is compared with the original's, chosen from what the output is.
 *
 * <p>The drop each measure reports is in points (0-100, higher = worse): of top-1 accuracy (labels) or top-1
 * agreement (no labels) for class scores; {@code 100 (1 - cosine)} for embeddings; {@code 100 ||y - y0|| / ||y0||}
 * otherwise. A drop of 0.5 therefore means half a point of accuracy, or a mean cosine of 0.995.
 */
public enum QualityMeasure {
    /** [batch, classes] scores or logits: top-1 accuracy with labels, else top-1 agreement; KL of the softmax shown. */
    CLASS_SCORES("top-1 accuracy (labels) or top-1 agreement (no labels)"),
    /** [batch, tokens, d] hidden states: cosine of the mask-aware mean-pooled vectors; per-token relative error shown. */
    TOKEN_EMBEDDINGS("cosine of the mask-aware mean-pooled token vectors"),
    /** [batch, d] pooled embeddings: cosine per sample. */
    POOLED_EMBEDDING("cosine of the embedding vectors"),
    /** Anything else: relative L2 error of the whole output. */
    RELATIVE_L2("relative L2 error of the output");

    private final String description;

    QualityMeasure(String description) {
        this.description = description;
    }

    /** The name reports and {@code --quality} use: the constant's, lower case with dashes, e.g. "class-scores". */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String description() {
        return description;
    }

    /**
     * The measure that fits an output, from its name and its runtime shape (dimension 0 the sample axis).
     * Rank 3 is a sequence of token vectors; rank 2 is class scores unless its name says it is an embedding.
     */
    public static QualityMeasure detect(String outputName, long[] shape) {
        String n = outputName.toLowerCase(Locale.ROOT);
        boolean embeddingName = n.contains("embed") || n.contains("pool") || n.contains("hidden")
                || n.contains("sentence") || n.contains("feature");
        if (shape.length == 3) return TOKEN_EMBEDDINGS;
        if (shape.length == 2) return embeddingName ? POOLED_EMBEDDING : CLASS_SCORES;
        return RELATIVE_L2;
    }
}
