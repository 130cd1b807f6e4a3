package dev.rba.onnx.rewrite;

import java.util.List;

/**
 * What a rewrite changed. Parameters are elements of graph initializers (the weights of exported transformers);
 * {@code parametersRemoved} counts those that became dead, {@code parametersAdded} the new T and bias tensors.
 * {@code replacements} names, per span in the order given, the tensor that now stands for h_{j+1} (the span's
 * MatMul or Add output; h_{j+1}'s own name when h_{j+1} was a graph output). {@code spanNodesKept} counts nodes of
 * the replaced spans that something outside them still reads (e.g. another graph output), so they stayed: 0 when the
 * blocks were removed entirely.
 */
public record RewriteReport(long parametersBefore, long parametersAfter, long parametersRemoved, long parametersAdded,
                            int nodesRemoved, List<String> spans, List<String> replacements, int spanNodesKept) {
    @Override
    public String toString() {
        return "replaced " + spans.size() + " span(s) " + spans + ": parameters " + parametersBefore + " -> " + parametersAfter
                + " (removed " + parametersRemoved + ", added " + parametersAdded + "), " + nodesRemoved + " nodes removed"
                + (spanNodesKept > 0 ? "; " + spanNodesKept + " nodes of the spans are still read elsewhere and were kept" : "");
    }
}
