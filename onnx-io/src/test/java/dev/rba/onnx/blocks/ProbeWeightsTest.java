package dev.rba.onnx.blocks;

import dev.rba.onnx.ir.Types;
import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which weights the shape probe may run without, and that the probe's shapes do not change when it does. */
class ProbeWeightsTest {
    private static final int D = 64;

    @Test
    void weightsOfAMatMulBecomeInputsAndSmallOrIntegerConstantsStay() {
        GraphProto.Builder g = linear().toBuilder();
        Map<String, TensorProto> moved = ProbeWeights.moveToInputs(g);
        assertEquals(List.of("W"), List.copyOf(moved.keySet()));
        assertEquals(List.of("bias", "shape"), g.getInitializerList().stream().map(TensorProto::getName).toList());
        ValueInfoProto w = g.getInputList().stream().filter(i -> i.getName().equals("W")).findFirst().orElseThrow();
        assertEquals("float[" + D + "," + D + "]", Types.describe(w.getType()));
    }

    @Test
    void aShapeReadFromAWeightDerivedValueStillMovesIt() {
        // Reshape(y, Shape(y)): Shape depends on y's shape only
        GraphProto.Builder g = linear().toBuilder();
        g.addNode(node("Shape", List.of("y"), "s"));
        g.addNode(node("Reshape", List.of("y", "s"), "z"));
        assertEquals(1, ProbeWeights.moveToInputs(g).size());
    }

    @Test
    void aWeightValueThatMaySetAShapeKeepsEveryWeight() {
        // Cast(ReduceMax(y)) to int64 as a Reshape's shape: zeros for W would change z's shape
        GraphProto.Builder g = linear().toBuilder();
        g.addNode(node("ReduceMax", List.of("y"), "m"));
        g.addNode(node("Cast", List.of("m"), "mi").toBuilder()
                .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
                        .setI(TensorProto.DataType.INT64_VALUE)).build());
        g.addNode(node("Reshape", List.of("y", "mi"), "z"));
        GraphProto before = g.build();
        assertTrue(ProbeWeights.moveToInputs(g).isEmpty());
        assertEquals(before, g.build(), "nothing is changed");
    }

    @Test
    void operatorsOfOtherDomainsOrWithSubgraphsKeepEveryWeight() {
        GraphProto.Builder custom = linear().toBuilder();
        custom.addNode(node("FusedThing", List.of("y"), "z").toBuilder().setDomain("com.example").build());
        assertTrue(ProbeWeights.moveToInputs(custom).isEmpty());

        GraphProto.Builder withIf = linear().toBuilder();
        withIf.addNode(node("If", List.of("cond"), "z").toBuilder().addAttribute(AttributeProto.newBuilder()
                .setName("then_branch").setType(AttributeProto.AttributeType.GRAPH).setG(GraphProto.newBuilder().setName("t"))).build());
        assertTrue(ProbeWeights.moveToInputs(withIf).isEmpty());
    }

    @Test
    void theProbeFindsTheSameShapesAndMacsWithoutTheWeights() {
        // a tiny encoder whose d makes its weights large enough to be moved
        TinyEncoderGraphs t = TinyEncoderGraphs.preNorm(2, 48, 7, false, false);
        GraphProto.Builder g = t.proto().getGraph().toBuilder();
        assertTrue(ProbeWeights.moveToInputs(g).size() >= 4, "the blocks' projections are moved");
        BlockStructure probed = BlockDiscovery.discover(t.model());
        assertEquals(48, probed.d());
        assertEquals(7, probed.tokens());
        for (Block b : probed.blocks()) assertEquals(t.blockMacs(7), b.macsPerSample(), "MACs of block " + b.index());
        assertTrue(probed.notes().stream().anyMatch(n -> n.startsWith("shapes from one ONNX Runtime run")), probed.notes().toString());
    }

    /** y = MatMul(x, W) + bias, then Reshape(y, [1, -1]): W is large (moved), bias small, shape integer. */
    private static GraphProto linear() {
        float[] w = new float[D * D];
        for (int i = 0; i < w.length; i++) w[i] = (i % 7) / 7f;
        return GraphProto.newBuilder().setName("g")
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(Types.tensor(TensorProto.DataType.FLOAT_VALUE,
                        TensorShapeProto.newBuilder().addDim(dim(1)).addDim(dim(3)).addDim(dim(D)).build())))
                .addInitializer(floats("W", w, D, D))
                .addInitializer(floats("bias", new float[D], D))
                .addInitializer(TensorProto.newBuilder().setName("shape").setDataType(TensorProto.DataType.INT64_VALUE)
                        .addDims(2).addInt64Data(1).addInt64Data(-1))
                .addNode(node("MatMul", List.of("x", "W"), "xw"))
                .addNode(node("Add", List.of("xw", "bias"), "y"))
                .addNode(node("Reshape", List.of("y", "shape"), "flat"))
                .addOutput(ValueInfoProto.newBuilder().setName("flat"))
                .build();
    }

    private static TensorShapeProto.Dimension dim(long v) {
        return TensorShapeProto.Dimension.newBuilder().setDimValue(v).build();
    }

    private static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    private static NodeProto node(String op, List<String> in, String out) {
        return NodeProto.newBuilder().setOpType(op).setName(op + "_" + out).addAllInput(in).addOutput(out).build();
    }
}
