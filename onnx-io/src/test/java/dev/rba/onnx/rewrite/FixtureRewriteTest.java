package dev.rba.onnx.rewrite;

import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.ir.Node;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.ir.Types;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.runtime.InputTensor;
import dev.rba.onnx.runtime.ModelInputs;
import dev.rba.onnx.runtime.ModelRunner;
import dev.rba.onnx.runtime.OutputExposer;
import dev.rba.onnx.runtime.RuntimeOptions;
import dev.rba.onnx.testmodels.FixtureArrays;
import dev.rba.onnx.testmodels.FixtureManifest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rewriter on a real export (the HF-style BERT fixture, with its mask computed once and fed to every layer):
 * blocks 1-2 become h_1·T + b. The rewritten model must load in ORT, keep its interface, compute exactly h_1·T + b
 * where h_3 was, and lose precisely the parameters only those two layers used.
 */
class FixtureRewriteTest {
    @Test
    void bertLayersOneToTwoBecomeOneAffineMap() throws Exception {
        var found = FixtureManifest.available().stream().filter(e -> e.name().equals("hf_bert_tiny")).findFirst();
        Assumptions.assumeTrue(found.isPresent(), "hf_bert_tiny fixture not exported yet");
        var fx = found.get();
        int d = fx.d();
        ModelProto original;
        try (OnnxModelFile file = OnnxModelFile.read(fx.model())) {
            original = file.proto();
        }
        OnnxModel model = OnnxModel.fromProto(original);
        long onlyLayers12 = parametersUsedOnlyBy(model, "/encoder/layer.1/", "/encoder/layer.2/");
        assertTrue(onlyLayers12 > 2L * d * d, "layers 1-2 should own their weights");

        Random rnd = new Random(7);
        float[] t = new float[d * d];
        float[] b = new float[d];
        for (int i = 0; i < t.length; i++) t[i] = (float) (rnd.nextGaussian() / Math.sqrt(d));
        for (int i = 0; i < d; i++) b[i] = (float) rnd.nextGaussian();
        String h1 = fx.hTensors().get(1);
        RewriteReport report = SpanRewriter.rewrite(model, List.of(SpanReplacement.byName(model.graph(), h1, fx.hTensors().get(3), t, b)));
        assertEquals(onlyLayers12, report.parametersRemoved());
        assertEquals((long) d * d + d, report.parametersAdded());
        for (Node n : model.graph().nodes()) {
            assertTrue(!n.name().startsWith("/encoder/layer.1/") && !n.name().startsWith("/encoder/layer.2/"), "left over: " + n.name());
        }
        ModelProto rewritten = model.toProto();
        assertEquals(original.getOpsetImportList(), rewritten.getOpsetImportList());
        assertEquals(original.getMetadataPropsList(), rewritten.getMetadataPropsList());
        assertEquals(original.getGraph().getInputList(), rewritten.getGraph().getInputList());
        assertEquals(original.getGraph().getOutputList(), rewritten.getGraph().getOutputList());

        String replacement = report.replacements().getFirst();
        ModelProto probe = OutputExposer.expose(rewritten, List.of(h1, replacement), new OutputExposer.ResidualShape(null, d)).proto();
        Map<String, FixtureArrays.Array> expected = FixtureArrays.read(fx.expected());
        ModelInputs in = ModelInputs.of(
                InputTensor.ofLongs("input_ids", expected.get("input_ids").longs(), expected.get("input_ids").shape()),
                InputTensor.ofLongs("attention_mask", expected.get("attention_mask").longs(), expected.get("attention_mask").shape()));
        Map<String, float[]> out;
        try (ModelRunner r = ModelRunner.open(probe, null, RuntimeOptions.defaults().withThreads(1))) {
            out = r.collect(in, 4, null);
        }
        float[] x = out.get(h1);
        float[] y = out.get(replacement);
        double worst = 0;
        for (int row = 0; row < x.length / d; row++) {
            for (int c = 0; c < d; c++) {
                double want = b[c];
                for (int k = 0; k < d; k++) want += (double) x[row * d + k] * t[k * d + c];
                worst = Math.max(worst, Math.abs(want - y[row * d + c]) / (1 + Math.abs(want)));
            }
        }
        assertTrue(worst < 1e-5, "MatMul+Add output differs from h_1·T + b by " + worst);
        for (float v : out.get("logits")) assertTrue(Float.isFinite(v));
        assertEquals(4 * 2, out.get("logits").length);
    }

    /** Elements of initializers that are read only by nodes whose names start with one of the prefixes. */
    private static long parametersUsedOnlyBy(OnnxModel model, String... prefixes) {
        long n = 0;
        for (Value init : model.graph().initializers()) {
            boolean only = !init.consumers().isEmpty();
            for (Node c : init.consumers()) {
                boolean inside = false;
                for (String p : prefixes) inside |= c.name().startsWith(p);
                only &= inside;
            }
            if (only) n += Types.elementCount(init.initializer());
        }
        return n;
    }
}
