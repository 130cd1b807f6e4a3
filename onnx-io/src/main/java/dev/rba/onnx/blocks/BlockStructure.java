package dev.rba.onnx.blocks;

import dev.rba.onnx.ir.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * The residual-stream tensors h_0..h_L of an encoder and the L blocks between them.
 *
 * @param boundaries    h_0..h_L
 * @param blocks        block k maps h_k to h_{k+1}
 * @param d             width of the residual stream, -1 when unknown or when the h_k differ in width
 * @param tokens        tokens per sample, -1 when dynamic (the input has a symbolic length) or unknown
 * @param method        "structure" (repeated cut-point segments), "names" (numbered node names) or "override"
 * @param primaryInput  name of the graph input the residual stream starts from ("" when unknown)
 * @param modelCost     parameters and MACs per sample of the whole model
 * @param notes         how the result was found (shape source, ties broken, warnings), one line each
 * @param numbering     per block k, the blocks of the original model it stands for: k-k, except in a model rba
 *                      rewrote, where a replaced span (its MatMul) is one block standing for first-last and the
 *                      blocks after it keep their original numbers
 * @param shapeProbeSeconds wall time of the ONNX Runtime shape probe that discovery ran (0 when the file's
 *                      value_info sufficed)
 */
public record BlockStructure(List<Value> boundaries, List<Block> blocks, long d, long tokens, String method,
                             String primaryInput, ModelCost modelCost, List<String> notes, List<OriginalBlocks> numbering,
                             double shapeProbeSeconds) {
    public BlockStructure {
        boundaries = List.copyOf(boundaries);
        blocks = List.copyOf(blocks);
        notes = List.copyOf(notes);
        numbering = List.copyOf(numbering);
        if (numbering.size() != blocks.size()) {
            throw new IllegalArgumentException("numbering of " + numbering.size() + " blocks for " + blocks.size());
        }
    }

    /**
     * The original blocks {@code first..last} that block k stands for; {@code replaced} when it is a span rba
     * already replaced by a linear map.
     */
    public record OriginalBlocks(int first, int last, boolean replaced) {
        /** {@code 5}, or {@code 2-3} for a replaced span. */
        public String text() {
            return first == last ? Integer.toString(first) : first + "-" + last;
        }
    }

    /** Whether any block stands for other than its own index (the model was rewritten by rba). */
    public boolean renumbered() {
        for (int k = 0; k < numbering.size(); k++) {
            OriginalBlocks o = numbering.get(k);
            if (o.replaced() || o.first() != k) return true;
        }
        return false;
    }

    /** Blocks of the original model (the last original index + 1). */
    public int originalBlockCount() {
        return numbering.isEmpty() ? 0 : numbering.getLast().last() + 1;
    }

    /** Names of h_0..h_L, as they are now in the graph. */
    public List<String> boundaryNames() {
        List<String> names = new ArrayList<>();
        for (Value v : boundaries) names.add(v.name());
        return names;
    }

    public int blockCount() {
        return blocks.size();
    }
}
