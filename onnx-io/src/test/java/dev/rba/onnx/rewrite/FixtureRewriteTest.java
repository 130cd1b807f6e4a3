package dev.rba.onnx.rewrite;

import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.ir.Node;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.io.TensorShapes;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.runtime.InputTensor;
import dev.rba.onnx.runtime.ModelInputs;
import dev.rba.onnx.runtime.ModelRunner;
import dev.rba.onnx.runtime.OutputExposer;
import dev.rba.onnx.api.RuntimeOptions;
import dev.rba.onnx.testmodels.FixtureArrays;
import dev.rba.onnx.testmodels.FixtureManifest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
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
    /** The model's parsed proto, read and checked by OnnxModelFile (the proto stays valid after the file closes). */
    private static ModelProto readProto(Path onnx) throws IOException {
        try (OnnxModelFile file = OnnxModelFile.read(onnx)) {
            return file.proto();
        }
    }

    @Test
    void bertLayersOneToTwoBecomeOneAffineMap() throws Exception {
        var fx = FixtureManifest.named("hf_bert_tiny");
        int d = fx.d();
        ModelProto original = readProto(fx.model());
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

    /**
     * The pre-norm ViT fixture with blocks 5 and 6 made exactly affine by editing weights: with the attention output
     * projection and MLP fc2 weights zeroed (biases kept), block k maps h to h + proj.bias_k + fc2.bias_k. So span 5-6
     * is h_7 = h_5·I + (sum of those biases), and the rewritten model must give the edited model's logits.
     */
    @Test
    void vitBlocksMadeAffineAreReplacedExactly() throws Exception {
        var fx = FixtureManifest.named("vit_fmnist_b8");
        int d = fx.d();
        OnnxModel model = OnnxModel.fromProto(readProto(fx.model()));
        float[] bias = new float[d];
        for (int k = 5; k <= 6; k++) {
            for (String part : List.of("attn/proj", "mlp/fc2")) {
                String prefix = "/blocks/blocks." + k + "/" + part + "/";
                for (Node n : model.graph().nodes()) {
                    if (!n.name().startsWith(prefix)) continue;
                    for (Value in : n.inputs()) {
                        if (in == null || !in.isInitializer()) continue;
                        if (n.opType().equals("MatMul")) {
                            in.setInitializer(zeros(in.initializer()));
                        } else if (n.opType().equals("Add")) {
                            float[] b = floats(in.initializer());
                            for (int c = 0; c < d; c++) bias[c] += b[c];
                        }
                    }
                }
            }
        }
        ModelProto edited = model.toProto();
        long only56 = parametersUsedOnlyBy(model, "/blocks/blocks.5/", "/blocks/blocks.6/");
        float[] identity = new float[d * d];
        for (int i = 0; i < d; i++) identity[i * d + i] = 1;
        RewriteReport report = SpanRewriter.rewrite(model, List.of(
                SpanReplacement.byName(model.graph(), fx.hTensors().get(5), fx.hTensors().get(7), identity, bias)));
        assertEquals(only56, report.parametersRemoved());
        assertEquals(0, report.spanNodesKept());

        Map<String, FixtureArrays.Array> expected = FixtureArrays.read(fx.expected());
        ModelInputs in = ModelInputs.of(InputTensor.ofFloats("pixel_values", expected.get("pixel_values").floats(), expected.get("pixel_values").shape()));
        float[] want;
        float[] got;
        try (ModelRunner r = ModelRunner.open(edited, null, RuntimeOptions.defaults().withThreads(1))) {
            want = r.collect(in, 4, null).get("logits");
        }
        try (ModelRunner r = ModelRunner.open(model.toProto(), null, RuntimeOptions.defaults().withThreads(1))) {
            got = r.collect(in, 4, null).get("logits");
        }
        SpanRewriterTest.assertClose(want, got, 1e-5);
        // and the edit mattered: the bias is not zero and the unedited model's logits differ
        double norm = 0;
        for (float b : bias) norm += b * b;
        assertTrue(norm > 0, "fc2/proj biases of blocks 5-6 are all zero; the test would not see a missing Add");
        assertTrue(SpanRewriterTest.maxRelativeError(expected.get("logits").floats(), got) > 1e-4, "editing blocks 5-6 should change the logits");
    }

    private static TensorProto zeros(TensorProto t) {
        long bytes = TensorShapes.rawByteSize(t);
        return t.toBuilder().clearFloatData().setRawData(com.google.protobuf.ByteString.copyFrom(new byte[Math.toIntExact(bytes)])).build();
    }

    private static float[] floats(TensorProto t) {
        float[] out = new float[Math.toIntExact(TensorShapes.elementCount(t))];
        if (t.getFloatDataCount() > 0) {
            for (int i = 0; i < out.length; i++) out[i] = t.getFloatData(i);
        } else {
            t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        }
        return out;
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
            if (only) n += TensorShapes.elementCount(init.initializer());
        }
        return n;
    }
}
