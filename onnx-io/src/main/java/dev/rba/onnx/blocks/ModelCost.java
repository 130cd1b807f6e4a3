package dev.rba.onnx.blocks;

/**
 * Size and cost of a whole model.
 *
 * @param parameters     elements of all initializers
 * @param macsPerSample  multiply-accumulates per sample of all MatMul/Gemm/Conv nodes, -1 when a shape is unknown
 * @param shapeSource    how the shapes behind the MACs were found
 */
public record ModelCost(long parameters, long macsPerSample, String shapeSource) {
}
