package dev.rba.onnx.runtime;

import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The padding mask is found by how an input's values reach the attention Softmax, not by its name. Graphs here are the
 * attention-score part of an encoder: token ids through an embedding Gather and a MatMul to the scores, and the mask
 * in the forms exporters write it.
 */
class PaddingMaskTest {
    /** Scores from token ids: Gather(embedding, ids) -> MatMul -> "scores". */
    private static GraphProto.Builder scores(String... extraInputs) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("g");
        g.addInput(input("input_ids", TensorProto.DataType.INT64_VALUE, 2));
        for (int i = 0; i < extraInputs.length; i += 2) {
            int type = switch (extraInputs[i + 1]) {
                case "bool" -> TensorProto.DataType.BOOL_VALUE;
                case "float4d" -> TensorProto.DataType.FLOAT_VALUE;
                default -> TensorProto.DataType.INT64_VALUE;
            };
            g.addInput(input(extraInputs[i], type, extraInputs[i + 1].equals("float4d") ? 4 : 2));
        }
        g.addInitializer(TensorProto.newBuilder().setName("emb").addDims(10).addDims(4).setDataType(TensorProto.DataType.FLOAT_VALUE));
        g.addNode(node("Gather", List.of("emb", "input_ids"), "x"));
        g.addNode(node("MatMul", List.of("x", "x"), "scores"));
        return g;
    }

    private static ModelProto model(GraphProto.Builder g, String softmaxInput) {
        g.addNode(node("Softmax", List.of(softmaxInput), "probs"));
        g.addOutput(ValueInfoProto.newBuilder().setName("probs"));
        return ModelProto.newBuilder().setGraph(g).build();
    }

    private static ValueInfoProto input(String name, int type, int rank) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (int i = 0; i < rank; i++) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("d" + i));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type).setShape(s))).build();
    }

    private static NodeProto node(String op, List<String> in, String out) {
        return NodeProto.newBuilder().setOpType(op).setName(out + "_node").addAllInput(in).addOutput(out).build();
    }

    @Test
    void anAdditiveMaskIsFoundWhateverItsName() {
        GraphProto.Builder g = scores("input_mask", "int64");
        g.addNode(node("Unsqueeze", List.of("input_mask"), "m1"));
        g.addNode(node("Cast", List.of("m1"), "m2"));
        g.addNode(node("Sub", List.of("one", "m2"), "m3"));
        g.addNode(node("Mul", List.of("m3", "minus_big"), "m4"));
        g.addNode(node("Add", List.of("scores", "m4"), "masked"));
        PaddingMask m = PaddingMask.find(model(g, "masked"));
        assertEquals("input_mask", m.input(), m.note());
    }

    @Test
    void aBooleanMaskThroughWhereIsFound() {
        GraphProto.Builder g = scores("keep", "bool");
        g.addNode(node("Where", List.of("keep", "scores", "minus_inf"), "masked"));
        assertEquals("keep", PaddingMask.find(model(g, "masked")).input());
    }

    @Test
    void aMaskComputedFromTokenIdsIsReportedNotUsed() {
        GraphProto.Builder g = scores();
        g.addNode(node("Equal", List.of("input_ids", "pad_id"), "is_pad"));
        g.addNode(node("Where", List.of("is_pad", "minus_inf", "scores"), "masked"));
        PaddingMask m = PaddingMask.find(model(g, "masked"));
        assertNull(m.input());
        assertTrue(m.note().contains("'input_ids' (token ids"), m.note());
    }

    @Test
    void twoGatesOrAFourDimensionalMaskAreNotGuessed() {
        GraphProto.Builder two = scores("a", "int64", "b", "int64");
        two.addNode(node("Add", List.of("scores", "a"), "s1"));
        two.addNode(node("Add", List.of("s1", "b"), "masked"));
        PaddingMask m = PaddingMask.find(model(two, "masked"));
        assertNull(m.input());
        assertTrue(m.note().contains("--mask-input"), m.note());

        GraphProto.Builder extended = scores("extended_mask", "float4d");
        extended.addNode(node("Add", List.of("scores", "extended_mask"), "masked"));
        PaddingMask e = PaddingMask.find(model(extended, "masked"));
        assertNull(e.input());
        assertTrue(e.note().contains("rank 4"), e.note());
    }

    @Test
    void noMaskAndTheUsersChoice() {
        ModelProto plain = model(scores(), "scores");
        assertNull(PaddingMask.find(plain).input(), "token ids reach the scores only through the embedding");
        assertNull(PaddingMask.given(plain, "none").input());
        assertEquals("input_ids", PaddingMask.given(plain, "input_ids").input());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PaddingMask.given(plain, "mask")).getMessage()
                .contains("not an input of the model"));
    }
}
