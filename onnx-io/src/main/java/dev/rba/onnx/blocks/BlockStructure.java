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
 */
public record BlockStructure(List<Value> boundaries, List<Block> blocks, long d, long tokens, String method,
                             String primaryInput, ModelCost modelCost, List<String> notes) {
    public BlockStructure {
        boundaries = List.copyOf(boundaries);
        blocks = List.copyOf(blocks);
        notes = List.copyOf(notes);
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
