package dev.rba.core.eval;

import dev.rba.onnx.blocks.BlockDiscovery;
import dev.rba.onnx.blocks.DiscoveryOptions;
import dev.rba.onnx.blocks.ModelCost;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.io.TensorShapes;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto.DataType;

import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;
import dev.rba.onnx.runtime.InputTensor;

import java.io.IOException;
import java.util.List;
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
        return of(file, 0);
    }

    /**
     * With {@code length} > 0, the MACs of a model whose inputs have a dynamic length are counted at that length (the
     * data's) rather than at the discovery probe's: attention and every per-token product grow with it.
     */
    static ModelSize of(OnnxModelFile file, int length) throws IOException {
        OnnxModel model = OnnxModel.fromProto(file.proto());
        DiscoveryOptions options = DiscoveryOptions.defaults().withModelFolder(file.folder());
        if (length > 0) options = options.withProbeSequenceLength(length);
        ModelCost cost = BlockDiscovery.modelCost(model, options);
        long weights = 0;
        for (TensorProto t : file.proto().getGraph().getInitializerList()) {
            long n = TensorShapes.elementCount(t);
            if (isFloating(t.getDataType()) && n > 1) weights += n;
        }
        long bytes = Files.size(file.path());
        for (Path data : file.dataFiles()) bytes += Files.size(data);
        return new ModelSize(file.path(), weights, file.parameterCount(), cost.macsPerSample(), cost.shapeSource(), bytes);
    }

    /**
     * The length the data gives the dynamic non-batch dimensions of the model's inputs, or 0 when every input
     * dimension but the batch is fixed; -1 when the data gives them different sizes (the shape probe takes one length
     * for all, so it cannot count the MACs at the data's shape).
     */
    static int dynamicLength(OnnxModelFile file, List<InputTensor> batch) {
        long length = 0;
        for (ValueInfoProto in : file.proto().getGraph().getInputList()) {
            List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
            for (int i = 1; i < dims.size(); i++) {
                if (dims.get(i).hasDimValue() && dims.get(i).getDimValue() > 0) continue;
                for (InputTensor t : batch) {
                    if (!t.name().equals(in.getName()) || t.shape().length <= i) continue;
                    if (length != 0 && length != t.shape()[i]) return -1;
                    length = t.shape()[i];
                }
            }
        }
        return Math.toIntExact(length);
    }

    /** Weights are floating point; integer initializers are shapes, indices and axes. */
    private static boolean isFloating(int type) {
        return type == DataType.FLOAT_VALUE || type == DataType.FLOAT16_VALUE || type == DataType.BFLOAT16_VALUE
                || type == DataType.DOUBLE_VALUE;
    }
}
