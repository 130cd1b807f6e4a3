package dev.rba.onnx.ir;

import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;

import java.util.List;

/** Tiny builders for hand-written test graphs. */
final class GraphProtos {
    private GraphProtos() {
    }

    static NodeProto node(String name, String op, List<String> in, List<String> out) {
        return NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(in).addAllOutput(out).build();
    }

    static ValueInfoProto floatInfo(String name, Object... dims) {
        return ValueInfoProto.newBuilder().setName(name)
                .setType(Types.tensor(TensorProto.DataType.FLOAT_VALUE, Types.shape(dims))).build();
    }

    static TensorProto floats(String name, long rows, long cols) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(rows).addDims(cols);
        for (int i = 0; i < rows * cols; i++) t.addFloatData(i * 0.5f);
        return t.build();
    }

    /** x -> MatMul(W) -> a -> Relu -> b -> Add(x) -> y, plus a dead branch and an unused initializer. */
    static GraphProto residual() {
        return GraphProto.newBuilder().setName("g").setDocString("test graph")
                .addInput(floatInfo("x", "batch", 4))
                .addOutput(floatInfo("y", "batch", 4))
                .addInitializer(floats("W", 4, 4))
                .addInitializer(floats("unused", 2, 2))
                .addNode(node("mm", "MatMul", List.of("x", "W"), List.of("a")))
                .addNode(node("relu", "Relu", List.of("a"), List.of("b")))
                .addNode(node("dead", "Neg", List.of("a"), List.of("d")))
                .addNode(node("add", "Add", List.of("b", "x"), List.of("y")))
                .addValueInfo(floatInfo("a", "batch", 4))
                .addValueInfo(floatInfo("d", "batch", 4))
                .build();
    }

    static AttributeProto graphAttribute(String name, GraphProto g) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(g).build();
    }
}
