package dev.rba.core.pipeline;

import dev.rba.core.stats.TokenSelection;

/**
 * Which token stands for a whole sample in Block Redundancy: the class token (token 0) where the model has one, the
 * mean token otherwise (DESIGN.md section 1).
 *
 * <p>The graph does not say whether token 0 is a class token, so the choice reads the token count: a vision model
 * whose residual stream has a perfect square of tokens (7x7 = 49, 14x14 = 196) carries patch tokens only (global
 * average pooling), one with a square plus one or two (50, 197, 198: CLS, and DeiT's distillation token) has a class
 * token at position 0. Text models (dynamic token count) put [CLS] first. Users override it with an option.
 */
public final class SummaryToken {
    private SummaryToken() {
    }

    /** The choice and its reason in a few words. */
    public record Choice(TokenSelection token, String reason) {
    }

    /** Decides for a residual stream of {@code tokens} tokens (-1 or 0 when dynamic). */
    public static Choice choose(long tokens) {
        if (tokens <= 0) return new Choice(TokenSelection.CLS, "dynamic token count (text model): token 0 is [CLS]");
        long root = Math.round(Math.sqrt((double) tokens));
        if (root * root == tokens) {
            return new Choice(TokenSelection.MEAN, tokens + " tokens = " + root + "x" + root + " patches, no class token: mean token");
        }
        return new Choice(TokenSelection.CLS, tokens + " tokens (patches plus a class token): token 0 (CLS)");
    }
}
