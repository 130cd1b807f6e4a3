package dev.rba.onnx.runtime;
import dev.rba.onnx.api.RuntimeOptions;

import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.ir.Types;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;
import dev.rba.onnx.runtime.OutputExposer.ExposedModel;
import dev.rba.onnx.runtime.OutputExposer.ResidualShape;
import dev.rba.onnx.testmodels.ResidualModels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.rba.onnx.testmodels.ResidualModels.Block.LINEAR;
import static dev.rba.onnx.testmodels.ResidualModels.Block.NONLINEAR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputExposerTest {
    static final RuntimeOptions ONE_THREAD = RuntimeOptions.defaults().withThreads(1);

    @Test
    void exposedModelComputesTheSameOutputsAndDeclaresTheBoundaryShapes() {
        var m = ResidualModels.build(8, List.of(NONLINEAR, LINEAR, NONLINEAR), 11, false);
        ExposedModel exposed = OutputExposer.expose(m.proto(), m.boundaries(), ResidualShape.of(ResidualModels.TOKENS, 8));
        assertEquals(List.of("logits"), exposed.modelOutputs());
        List<ValueInfoProto> outs = exposed.proto().getGraph().getOutputList();
        assertEquals(1 + m.boundaries().size(), outs.size());
        assertEquals("logits", outs.get(0).getName());
        for (int k = 0; k < m.boundaries().size(); k++) {
            ValueInfoProto vi = outs.get(k + 1);
            assertEquals(m.boundaries().get(k), vi.getName());
            assertEquals("float[batch," + ResidualModels.TOKENS + ",8]", Types.describe(vi.getType()));
        }
        ModelInputs in = ModelInputs.of(InputTensor.ofFloats("x", ResidualModels.inputs(9, 5), 9, ResidualModels.TOKENS, ResidualModels.IN));
        float[] original;
        try (ModelRunner r = ModelRunner.open(m.proto(), null, ONE_THREAD)) {
            original = r.collect(in, 9, null).get("logits");
        }
        try (ModelRunner r = ModelRunner.open(exposed.proto(), null, ONE_THREAD)) {
            Map<String, float[]> all = r.collect(in, 9, null);
            assertArrayEquals(original, all.get("logits"), 1e-6f);
            assertEquals(9L * ResidualModels.TOKENS * 8, all.get(m.boundaries().getLast()).length);
        }
        // the original proto is untouched
        assertEquals(1, m.proto().getGraph().getOutputCount());
    }

    @Test
    void prefixComputesOnlyTheNamedTensorWithTheWholeModelsValues() {
        var m = ResidualModels.build(8, List.of(NONLINEAR, LINEAR, NONLINEAR), 13, false);
        String h1 = m.boundaries().get(1);
        ResidualShape shape = ResidualShape.of(ResidualModels.TOKENS, 8);
        ModelProto prefix = OutputExposer.prefix(m.proto(), List.of(h1), shape);
        assertEquals(List.of(h1), prefix.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList());
        assertEquals("float[batch," + ResidualModels.TOKENS + ",8]", Types.describe(prefix.getGraph().getOutput(0).getType()));
        assertTrue(prefix.getGraph().getNodeCount() < m.proto().getGraph().getNodeCount(), "later blocks are cut");
        assertTrue(prefix.getGraph().getInitializerCount() < m.proto().getGraph().getInitializerCount(),
                "later blocks' weights are left out");
        ModelInputs in = ModelInputs.of(InputTensor.ofFloats("x", ResidualModels.inputs(4, 3), 4, ResidualModels.TOKENS, ResidualModels.IN));
        float[] whole;
        try (ModelRunner r = ModelRunner.open(OutputExposer.expose(m.proto(), List.of(h1), shape).proto(), null, ONE_THREAD)) {
            whole = r.collect(in, 4, null).get(h1);
        }
        try (ModelRunner r = ModelRunner.open(prefix, null, ONE_THREAD)) {
            assertArrayEquals(whole, r.collect(in, 4, null).get(h1), 0f);
        }
        assertThrows(IllegalArgumentException.class, () -> OutputExposer.prefix(m.proto(), List.of("no_such"), shape));
    }

    @Test
    void exposingByValueUsesTheValuesNames() {
        var m = ResidualModels.build(8, List.of(NONLINEAR), 12, false);
        OnnxModel model = OnnxModel.fromProto(m.proto());
        Value h1 = model.graph().findValue(m.boundaries().get(1));
        ExposedModel exposed = OutputExposer.expose(model, List.of(h1), ResidualShape.of(ResidualModels.TOKENS, 8));
        assertEquals(h1.name(), exposed.proto().getGraph().getOutput(1).getName());
    }

    @Test
    void badNamesAndMissingTokenCountAreOneLineErrors() {
        var m = ResidualModels.build(8, List.of(NONLINEAR), 13, false);
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> OutputExposer.expose(m.proto(), List.of("nope"), ResidualShape.of(5, 8)));
        assertTrue(unknown.getMessage().contains("'nope'"), unknown.getMessage());
        var weight = assertThrows(IllegalArgumentException.class,
                () -> OutputExposer.expose(m.proto(), List.of("W_in"), ResidualShape.of(5, 8)));
        assertTrue(weight.getMessage().contains("initializer"), weight.getMessage());
        var tokens = assertThrows(IllegalArgumentException.class,
                () -> OutputExposer.expose(m.proto(), List.of(m.boundaries().get(1)), new ResidualShape(null, 8)));
        assertTrue(tokens.getMessage().contains("token count"), tokens.getMessage());
    }

    @Test
    void float16BoundariesAreDeclaredFloat16() {
        var m = ResidualModels.build(8, List.of(NONLINEAR), 14, true);
        ModelProto exposed = OutputExposer.expose(m.proto(), m.boundaries(), ResidualShape.of(5, 8)).proto();
        assertEquals(TensorProto.DataType.FLOAT16_VALUE, Types.elemType(exposed.getGraph().getOutput(1).getType()));
    }
}
