package dev.rba.core.eval;

import com.google.protobuf.ByteString;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A one-layer classifier with the ViT fixture's input (pixel_values [N,1,28,28]) and an output 'logits' of a chosen
 * width: Flatten then MatMul by a fixed 784 x classes matrix. No blocks; a stand-in for a baseline that does not fit.
 */
final class TinyClassifier {
    private TinyClassifier() {
    }

    static ModelProto model(int classes) {
        ByteBuffer w = ByteBuffer.allocate(784 * classes * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 784 * classes; i++) w.putFloat((float) Math.sin(i * 0.37) * 0.05f);
        TensorProto weight = TensorProto.newBuilder().setName("W").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(784).addDims(classes).setRawData(ByteString.copyFrom(w.array())).build();
        GraphProto graph = GraphProto.newBuilder().setName("tiny")
                .addInput(value("pixel_values", TensorShapeProto.newBuilder().addDim(sym("batch")).addDim(fixed(1)).addDim(fixed(28)).addDim(fixed(28))))
                .addOutput(value("logits", TensorShapeProto.newBuilder().addDim(sym("batch")).addDim(fixed(classes))))
                .addInitializer(weight)
                .addNode(NodeProto.newBuilder().setOpType("Flatten").setName("flatten").addInput("pixel_values").addOutput("flat"))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").setName("head").addInput("flat").addInput("W").addOutput("logits"))
                .addValueInfo(value("flat", TensorShapeProto.newBuilder().addDim(sym("batch")).addDim(fixed(784))))
                .build();
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph).build();
    }

    private static ValueInfoProto value(String name, TensorShapeProto.Builder shape) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    private static TensorShapeProto.Dimension fixed(long v) {
        return TensorShapeProto.Dimension.newBuilder().setDimValue(v).build();
    }

    private static TensorShapeProto.Dimension sym(String s) {
        return TensorShapeProto.Dimension.newBuilder().setDimParam(s).build();
    }
}
