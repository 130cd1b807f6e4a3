package dev.rba.onnx.io;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.FunctionProto;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.rba.onnx.proto.OnnxProto.SparseTensorProto;
import dev.rba.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
import dev.rba.onnx.proto.OnnxProto.TrainingInfoProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Small models built in Java for the tests: y = x W + b (MatMul + Add) with float initializers. */
final class TinyModels {
    static final int IN = 4;
    static final int OUT = 3;
    /** Field numbers no ONNX message uses, for unknown-field tests. */
    static final int UNKNOWN_FIELD = 999;

    private TinyModels() {
    }

    static float[] weights() {
        float[] w = new float[IN * OUT];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.25f * i - 1.0f;
        }
        return w;
    }

    static float[] bias() {
        return new float[] {0.5f, -1.5f, 2.0f};
    }

    static TensorProto floatTensor(String name, float[] values, long... dims) {
        ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buf.putFloat(v);
        }
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(TensorDataType.FLOAT.code())
                .setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    static ValueInfoProto floatValue(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorDataType.FLOAT.code()).setShape(shape))).build();
    }

    /** MatMul + Add, plain: what ONNX Runtime runs. */
    static ModelProto matMulAdd() {
        GraphProto graph = GraphProto.newBuilder()
                .setName("tiny")
                .addNode(NodeProto.newBuilder().setOpType("MatMul").setName("mm").addInput("x").addInput("W")
                        .addOutput("xw"))
                .addNode(NodeProto.newBuilder().setOpType("Add").setName("add").addInput("xw").addInput("b")
                        .addOutput("y"))
                .addInitializer(floatTensor("W", weights(), IN, OUT))
                .addInitializer(floatTensor("b", bias(), OUT))
                .addInput(floatValue("x", 2, IN))
                .addOutput(floatValue("y", 2, OUT))
                .build();
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("rba-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph)
                .build();
    }

    static UnknownFieldSet unknown(long varint, String bytes) {
        return UnknownFieldSet.newBuilder().addField(UNKNOWN_FIELD, UnknownFieldSet.Field.newBuilder()
                .addVarint(varint).addLengthDelimited(ByteString.copyFromUtf8(bytes)).build()).build();
    }

    /**
     * MatMul + Add with everything a lossless round trip must keep: doc strings, metadata_props, value_info, a
     * function, training_info, a Constant node with a tensor attribute, and unknown fields on the model, a node
     * and a tensor.
     */
    static ModelProto everything() {
        ModelProto base = matMulAdd();
        GraphProto.Builder g = base.getGraph().toBuilder()
                .setDocString("graph doc")
                .addValueInfo(floatValue("xw", 2, OUT))
                .addMetadataProps(entry("graph-key", "graph-value"))
                .setNode(0, base.getGraph().getNode(0).toBuilder().setDocString("node doc")
                        .setUnknownFields(unknown(7, "node-extra")))
                .setInitializer(0, base.getGraph().getInitializer(0).toBuilder()
                        .setUnknownFields(unknown(8, "tensor-extra")))
                .addNode(NodeProto.newBuilder().setOpType("Constant").setName("const").addOutput("c")
                        .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                                .setT(floatTensor("c", new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 8))))
                // a control-flow node whose branch holds its own initializer (a subgraph tensor)
                .addInput(ValueInfoProto.newBuilder().setName("cond").setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(TensorDataType.BOOL.code()))))
                .addNode(NodeProto.newBuilder().setOpType("If").setName("if").addInput("cond").addOutput("branch")
                        .addAttribute(AttributeProto.newBuilder().setName("then_branch")
                                .setType(AttributeProto.AttributeType.GRAPH)
                                .setG(GraphProto.newBuilder().setName("then")
                                        .addInitializer(floatTensor("then_w", new float[] {9, 8, 7}, 3))
                                        .addOutput(floatValue("then_w", 3)))))
                .addSparseInitializer(SparseTensorProto.newBuilder().addDims(10)
                        .setValues(floatTensor("sparse", new float[] {4, 5}, 2))
                        .setIndices(TensorProto.newBuilder().setName("sparse_idx").setDataType(TensorDataType.INT64.code())
                                .addDims(2).addInt64Data(1).addInt64Data(7)));
        FunctionProto fn = FunctionProto.newBuilder().setName("Twice").setDomain("rba.test")
                .addInput("a").addOutput("o")
                .addNode(NodeProto.newBuilder().setOpType("Add").addInput("a").addInput("a").addOutput("o"))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .build();
        TrainingInfoProto ti = TrainingInfoProto.newBuilder()
                .setAlgorithm(GraphProto.newBuilder().setName("algo")
                        .addInitializer(floatTensor("lr", new float[] {0.01f})))
                .addUpdateBinding(entry("W", "W_new"))
                .build();
        return base.toBuilder()
                .setDocString("model doc")
                .setDomain("dev.rba.test")
                .setModelVersion(3)
                .setProducerVersion("1.0")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("rba.test").setVersion(1))
                .addMetadataProps(entry("author", "rba"))
                .addMetadataProps(entry("license", "none"))
                .setGraph(g)
                .addFunctions(fn)
                .addTrainingInfo(ti)
                .setUnknownFields(unknown(42, "model-extra"))
                .build();
    }

    static StringStringEntryProto entry(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    /**
     * Writes {@link #matMulAdd} to {@code dir/inlineName}, then rewrites it to {@code dir/externalName} with every
     * initializer larger than {@code threshold} bytes in external data, checking that {@code expectedExternal} moved.
     * Returns the external-data model.
     */
    static Path matMulAddWithExternalData(Path dir, String inlineName, String externalName, long threshold,
                                          int expectedExternal) throws IOException {
        Path inline = save(matMulAdd(), dir.resolve(inlineName));
        Path external = dir.resolve(externalName);
        try (OnnxModelFile m = OnnxModelFile.read(inline)) {
            WriteResult r = OnnxModelWriter.write(m, external, WriteOptions.external().withExternalThreshold(threshold));
            assertEquals(expectedExternal, r.externalTensors(), "tensors moved to external data");
        }
        return external;
    }

    static Path save(ModelProto model, Path file) throws IOException {
        Files.write(file, model.toByteArray());
        return file;
    }
}
