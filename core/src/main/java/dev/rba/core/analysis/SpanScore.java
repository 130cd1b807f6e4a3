package dev.rba.core.analysis;

import dev.rba.core.approx.Span;

/**
 * Block Redundancy of one span: blocks {@code firstBlock..lastBlock} (inclusive) map h_{firstBlock} to
 * h_{lastBlock+1}.
 *
 * @param br            -(1/|S|) sum over samples of ||h_out[tok] - h_in[tok]||^2 on the summary token; higher is more
 *                      redundant
 * @param summaryCosine mean cosine between the summary tokens of h_in and h_out
 * @param relativeChange ||h_out - h_in||^2 / ||h_in||^2 summed over all tokens (how much the span moves the stream,
 *                      scale-free); NaN when the statistics do not hold it
 */
public record SpanScore(int firstBlock, int lastBlock, double br, double summaryCosine, double relativeChange) {

    /** The blocks scored, as {@code approximate} takes them. */
    public Span asSpan() {
        return new Span(firstBlock, lastBlock);
    }

    /** How many blocks the span holds. */
    public int length() {
        return asSpan().blocks();
    }

    /** "5-6", as --replace takes it. */
    public String span() {
        return asSpan().text();
    }

    /** e.g. "blocks 5-6 (h_5 -> h_7)" or "block 5 (h_5 -> h_6)". */
    public String label() {
        return asSpan().label();
    }
}
