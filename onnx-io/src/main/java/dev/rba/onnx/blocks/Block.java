package dev.rba.onnx.blocks;

import dev.rba.onnx.ir.Node;
import dev.rba.onnx.ir.Value;

import java.util.List;

/**
 * One transformer block: the nodes that map h_index to h_{index+1}.
 *
 * @param index          block number k (0-based)
 * @param prefix         node-name prefix of the block such as "/blocks.3", or "" when names give none
 * @param input          h_k
 * @param output         h_{k+1}
 * @param nodes          the block's nodes in graph order, including its constants and shape arithmetic
 * @param d              width of h_k (last dimension), -1 when unknown
 * @param tokens         tokens of h_k, -1 when dynamic or unknown
 * @param parameters     elements of the weight tensors its nodes read (floating initializers of more than one
 *                       element, also through Identity nodes; a tensor shared with other blocks counts in each)
 * @param macsPerSample  multiply-accumulates per sample of its MatMul/Gemm/Conv nodes, -1 when unknown
 */
public record Block(int index, String prefix, Value input, Value output, List<Node> nodes, long d, long tokens,
                    long parameters, long macsPerSample) {
    public Block {
        nodes = List.copyOf(nodes);
    }
}
