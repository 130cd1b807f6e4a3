package dev.rba.onnx.rewrite;

import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.runtime.InputTensor;
import dev.rba.onnx.runtime.ModelInputs;
import dev.rba.onnx.runtime.ModelRunner;
import dev.rba.onnx.runtime.OutputExposer;
import dev.rba.onnx.api.RuntimeOptions;
import dev.rba.onnx.testmodels.ResidualModels;
import dev.rba.onnx.testmodels.ResidualModels.Block;
import dev.rba.onnx.testmodels.ResidualModels.Built;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import static dev.rba.onnx.testmodels.ResidualModels.Block.AFFINE;
import static dev.rba.onnx.testmodels.ResidualModels.Block.LINEAR;
import static dev.rba.onnx.testmodels.ResidualModels.Block.NONLINEAR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spans made exactly linear on purpose, replaced by their closed-form T: the rewritten model must compute the same. */
class SpanRewriterTest {
    private static final int D = 8;
    private static final RuntimeOptions ONE_THREAD = RuntimeOptions.defaults().withThreads(1);

    @Test
    void twoSpansInOnePassGiveTheOriginalOutputsAndDropTheirParameters() {
        Built m = ResidualModels.build(D, List.of(NONLINEAR, LINEAR, LINEAR, NONLINEAR, AFFINE, AFFINE), 1, false);
        OnnxModel model = OnnxModel.fromProto(m.proto());
        float[][] t12 = ResidualModels.exactT(m, 1, 2);
        float[][] t45 = ResidualModels.exactT(m, 4, 5);
        RewriteReport report = SpanRewriter.rewrite(model, List.of(
                span(model, m, 1, 3, t12), span(model, m, 4, 6, t45)));

        long removed = m.blockParameters()[1] + m.blockParameters()[2] + m.blockParameters()[4] + m.blockParameters()[5];
        assertEquals(removed, report.parametersRemoved());
        assertEquals(2L * D * D + D, report.parametersAdded());
        assertEquals(report.parametersBefore() - removed + 2L * D * D + D, report.parametersAfter());
        assertEquals(removed - (2L * D * D + D), report.parametersBefore() - report.parametersAfter());
        assertEquals(0, report.spanNodesKept());

        ModelProto rewritten = model.toProto();
        assertEquals(m.proto().getOpsetImportList(), rewritten.getOpsetImportList());
        assertEquals(m.proto().getMetadataPropsList(), rewritten.getMetadataPropsList());
        assertEquals(m.proto().getGraph().getInputList(), rewritten.getGraph().getInputList());
        assertEquals(m.proto().getGraph().getOutputList(), rewritten.getGraph().getOutputList());

        float[] original = logits(m.proto(), 10);
        float[] after = logits(rewritten, 10);
        assertClose(original, after, 2e-5);
    }

    @Test
    void aWrongTIsDetected() {
        // the negative control: identity for a span that is not the identity changes the logits well beyond tolerance
        Built m = ResidualModels.build(D, List.of(NONLINEAR, LINEAR, LINEAR, NONLINEAR), 2, false);
        OnnxModel model = OnnxModel.fromProto(m.proto());
        float[] identity = new float[D * D];
        for (int i = 0; i < D; i++) identity[i * D + i] = 1;
        SpanRewriter.rewrite(model, List.of(span(model, m, 1, 3, new float[][] {identity, null})));
        float[] original = logits(m.proto(), 10);
        float[] after = logits(model.toProto(), 10);
        assertTrue(maxRelativeError(original, after) > 1e-3, "identity T should change the outputs");
    }

    @Test
    void adjacentSpansShareABoundary() {
        Built m = ResidualModels.build(D, List.of(LINEAR, LINEAR, AFFINE, NONLINEAR), 3, false);
        OnnxModel model = OnnxModel.fromProto(m.proto());
        SpanRewriter.rewrite(model, List.of(
                span(model, m, 0, 2, ResidualModels.exactT(m, 0, 1)),
                span(model, m, 2, 3, ResidualModels.exactT(m, 2, 2))));
        assertClose(logits(m.proto(), 7), logits(model.toProto(), 7), 2e-5);
        // blocks 0..2 are gone: only block 3's weights remain besides W_in, head.W and the new tensors
        for (Value init : model.graph().initializers()) {
            assertTrue(!init.name().startsWith("blocks.0") && !init.name().startsWith("blocks.1") && !init.name().startsWith("blocks.2"), init.name());
        }
    }

    @Test
    void aSpanEndingAtAGraphOutputKeepsTheOutputName() {
        Built m = ResidualModels.build(D, List.of(NONLINEAR, LINEAR, AFFINE), 4, false);
        String hL = m.boundaries().getLast();
        ModelProto exposed = OutputExposer.expose(m.proto(), List.of(hL), OutputExposer.ResidualShape.of(ResidualModels.TOKENS, D)).proto();
        OnnxModel model = OnnxModel.fromProto(exposed);
        SpanRewriter.rewrite(model, List.of(span(model, m, 1, 3, ResidualModels.exactT(m, 1, 2))));
        ModelProto rewritten = model.toProto();
        assertEquals(exposed.getGraph().getOutputList(), rewritten.getGraph().getOutputList());
        Map<String, float[]> before = run(exposed, 6);
        Map<String, float[]> after = run(rewritten, 6);
        assertClose(before.get(hL), after.get(hL), 2e-5);
        assertClose(before.get("logits"), after.get("logits"), 2e-5);
    }

    @Test
    void aSpanTensorThatIsAlsoAGraphOutputKeepsItsNodesAndSaysSo() {
        Built m = ResidualModels.build(D, List.of(NONLINEAR, LINEAR, LINEAR, NONLINEAR), 8, false);
        // h_2 (inside span 1-2) is also a model output, so block 1 must stay
        ModelProto exposed = OutputExposer.expose(m.proto(), List.of(m.boundaries().get(2)), OutputExposer.ResidualShape.of(ResidualModels.TOKENS, D)).proto();
        OnnxModel model = OnnxModel.fromProto(exposed);
        RewriteReport report = SpanRewriter.rewrite(model, List.of(span(model, m, 1, 3, ResidualModels.exactT(m, 1, 2))));
        assertEquals(2, report.spanNodesKept());                  // block 1's MatMul and Add
        assertEquals(m.blockParameters()[2], report.parametersRemoved());
        assertTrue(report.toString().contains("kept"), report.toString());
        assertClose(run(exposed, 5).get("logits"), run(model.toProto(), 5).get("logits"), 2e-5);
    }

    @Test
    void float16ModelGetsAFloat16TAndStillRunsInOrt() {
        Built m = ResidualModels.build(D, List.of(NONLINEAR, LINEAR, LINEAR, NONLINEAR), 5, true);
        OnnxModel model = OnnxModel.fromProto(m.proto());
        float[][] t = ResidualModels.exactT(m, 1, 2);
        RewriteReport report = SpanRewriter.rewrite(model, List.of(span(model, m, 1, 3, t)));
        assertEquals(2L * D * D, report.parametersRemoved());
        TensorProto stored = null;
        for (Value v : model.graph().initializers()) if (v.name().endsWith("_T")) stored = v.initializer();
        assertNotNull(stored);
        assertEquals(TensorProto.DataType.FLOAT16_VALUE, stored.getDataType());
        ByteBuffer raw = stored.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < D * D; i++) assertEquals(Float.floatToFloat16(t[0][i]), raw.getShort(2 * i));
        // fp16 weights were rounded from the float weights T was computed from: agreement to fp16 precision
        assertClose(logits(m.proto(), 8), logits(model.toProto(), 8), 2e-2);
    }

    @Test
    void overlappingOutOfOrderAndBackwardSpansAreRejected() {
        Built m = ResidualModels.build(D, List.of(LINEAR, LINEAR, LINEAR, LINEAR, LINEAR), 6, false);
        OnnxModel model = OnnxModel.fromProto(m.proto());
        float[][] t = ResidualModels.exactT(m, 0, 0);
        var overlap = assertThrows(IllegalArgumentException.class, () -> SpanRewriter.rewrite(model,
                List.of(span(model, m, 1, 3, t), span(model, m, 2, 4, t))));
        assertTrue(overlap.getMessage().contains("overlap"), overlap.getMessage());
        var order = assertThrows(IllegalArgumentException.class, () -> SpanRewriter.rewrite(model,
                List.of(span(model, m, 3, 4, t), span(model, m, 0, 1, t))));
        assertTrue(order.getMessage().contains("out of order"), order.getMessage());
        var backward = assertThrows(IllegalArgumentException.class, () -> SpanRewriter.rewrite(model,
                List.of(span(model, m, 3, 1, t))));
        assertTrue(backward.getMessage().contains("does not depend"), backward.getMessage());
        var width = assertThrows(IllegalArgumentException.class, () -> new SpanReplacement(
                model.graph().findValue(m.boundaries().get(0)), model.graph().findValue(m.boundaries().get(1)), new float[7], null));
        assertTrue(width.getMessage().contains("square"), width.getMessage());
        // nothing was changed by the rejected calls
        assertEquals(m.proto(), model.toProto());
    }

    private static SpanReplacement span(OnnxModel model, Built m, int fromH, int toH, float[][] t) {
        return SpanReplacement.byName(model.graph(), m.boundaries().get(fromH), m.boundaries().get(toH), t[0], t[1]);
    }

    private static float[] logits(ModelProto proto, int n) {
        return run(proto, n).get("logits");
    }

    private static Map<String, float[]> run(ModelProto proto, int n) {
        ModelInputs in = ModelInputs.of(InputTensor.ofFloats("x", ResidualModels.inputs(n, 42), n, ResidualModels.TOKENS, ResidualModels.IN));
        try (ModelRunner r = ModelRunner.open(proto, null, ONE_THREAD)) {
            return r.collect(in, 4, null);
        }
    }

    static double maxRelativeError(float[] want, float[] got) {
        assertEquals(want.length, got.length);
        double scale = 0;
        for (float w : want) scale = Math.max(scale, Math.abs(w));
        double err = 0;
        for (int i = 0; i < want.length; i++) err = Math.max(err, Math.abs(want[i] - got[i]));
        return err / Math.max(scale, 1e-12);
    }

    static void assertClose(float[] want, float[] got, double relTol) {
        double e = maxRelativeError(want, got);
        assertTrue(e <= relTol, "max error relative to the largest value: " + e + " > " + relTol);
    }
}
