package dev.rba.core.pipeline;

import dev.rba.core.stats.TokenSelection;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The head's pooling of h_L read from small graphs: through a decomposed norm, by Gather, Slice or ReduceMean. */
class ModelPoolingTest {
    private static NodeProto node(String op, List<String> in, String out, AttributeProto... attrs) {
        return NodeProto.newBuilder().setOpType(op).setName(out + "_n").addAllInput(in).addOutput(out)
                .addAllAttribute(List.of(attrs)).build();
    }

    private static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) a.addInts(x);
        return a.build();
    }

    private static AttributeProto integer(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static TensorProto longs(String name, long... v) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE);
        if (v.length > 1) t.addDims(v.length);
        for (long x : v) t.addInt64Data(x);
        return t.build();
    }

    /** h -> decomposed norm (ReduceMean over the last axis, Sub) -> the given head nodes; returns the choice. */
    private static SummaryToken.Choice head(List<TensorProto> consts, NodeProto... headNodes) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("g")
                .addInput(ValueInfoProto.newBuilder().setName("h"))
                .addNode(node("ReduceMean", List.of("h"), "mu", ints("axes", -1)))
                .addNode(node("Sub", List.of("h", "mu"), "n"))
                .addAllInitializer(consts);
        for (NodeProto n : headNodes) g.addNode(n);
        g.addOutput(ValueInfoProto.newBuilder().setName(headNodes[headNodes.length - 1].getOutput(0)));
        ModelProto m = ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build();
        OnnxModel model = OnnxModel.fromProto(m);
        return ModelPooling.of(model.graph().findValue("h"));
    }

    @Test
    void classTokenByGatherOrSliceMeanByReduceMeanNoneByFlatten() {
        assertEquals(TokenSelection.CLS, head(List.of(longs("zero", 0)),
                node("Gather", List.of("n", "zero"), "cls", integer("axis", 1))).token());
        assertEquals(TokenSelection.CLS, head(List.of(longs("s", 0), longs("e", 1), longs("a", 1)),
                node("Slice", List.of("n", "s", "e", "a"), "cls")).token());
        assertEquals(TokenSelection.MEAN, head(List.of(), node("ReduceMean", List.of("n"), "pooled", ints("axes", 1))).token());
        assertNull(head(List.of(longs("zero", 0)), node("Gather", List.of("n", "zero"), "feature", integer("axis", 2))),
                "a Gather on the feature axis is no pooling");
        assertNull(head(List.of(), node("Flatten", List.of("n"), "flat")), "a head over all tokens shows no pooling");
    }
}
