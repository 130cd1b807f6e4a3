package dev.rba.core.eval;

import dev.rba.onnx.blocks.BlockDiscovery;
import dev.rba.onnx.blocks.DiscoveryOptions;
import dev.rba.onnx.blocks.ModelCost;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.io.TensorShapes;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto.DataType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures a {@link ModelSize}. MACs come from {@link BlockDiscovery#modelCost}, which counts every MatMul, Gemm and
 * Conv of the graph without looking for blocks, so a model whose blocks cannot be found (say, every block of it was
 * replaced) still gets a cost.
 */
final class ModelSizes {
    private ModelSizes() {
    }

    static ModelSize of(OnnxModelFile file) throws IOException {
        OnnxModel model = OnnxModel.fromProto(file.proto());
        ModelCost cost = BlockDiscovery.modelCost(model, DiscoveryOptions.defaults().withModelFolder(file.folder()));
        long weights = 0;
        for (TensorProto t : file.proto().getGraph().getInitializerList()) {
            long n = TensorShapes.elementCount(t);
            if (isFloating(t.getDataType()) && n > 1) weights += n;
        }
        long bytes = Files.size(file.path());
        for (Path data : file.dataFiles()) bytes += Files.size(data);
        return new ModelSize(file.path(), weights, file.parameterCount(), cost.macsPerSample(), cost.shapeSource(), bytes);
    }

    /** Weights are floating point; integer initializers are shapes, indices and axes. */
    private static boolean isFloating(int type) {
        return type == DataType.FLOAT_VALUE || type == DataType.FLOAT16_VALUE || type == DataType.BFLOAT16_VALUE
                || type == DataType.DOUBLE_VALUE;
    }
}
