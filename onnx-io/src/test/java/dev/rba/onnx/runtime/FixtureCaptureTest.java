package dev.rba.onnx.runtime;
import dev.rba.onnx.api.RuntimeOptions;

import ai.onnxruntime.OnnxJavaType;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.runtime.OutputExposer.ResidualShape;
import dev.rba.onnx.testmodels.FixtureArrays;
import dev.rba.onnx.testmodels.FixtureManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Captured h_k of the exported fixtures against torch's own h_k (fixtures/models/&lt;model&gt;.expected.npz). */
class FixtureCaptureTest {
    static List<FixtureManifest.Entry> fixtures() throws IOException {
        return FixtureManifest.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void capturedBoundariesMatchTorch(FixtureManifest.Entry fx) throws IOException {
        Map<String, FixtureArrays.Array> expected = FixtureArrays.read(fx.expected());
        List<InputTensor> tensors = new ArrayList<>();
        int samples = 0;
        try (OnnxModelFile file = OnnxModelFile.read(fx.model())) {
            for (var in : file.proto().getGraph().getInputList()) {
                FixtureArrays.Array a = expected.get(in.getName());
                samples = (int) a.shape()[0];
                tensors.add(a.descr().equals("<f4") ? InputTensor.ofFloats(in.getName(), a.floats(), a.shape())
                        : InputTensor.ofLongs(in.getName(), a.longs(), a.shape()));
            }
            // the fixture names its mask input attention_mask or (hf_bert_input_mask) input_mask
            String maskName = expected.containsKey("input_mask") ? "input_mask" : "attention_mask";
            long[] mask = expected.containsKey(maskName) ? expected.get(maskName).longs() : null;
            int n = samples;
            int[] batches = {0};
            long[] padding = {0};
            double[] worst = {0};
            ResidualShape shape = new ResidualShape(fx.tokens(), fx.d());
            // batch size 3 over 4 samples: the second batch is short
            try (ActivationCapture c = ActivationCapture.open(file, fx.hTensors(), shape, CaptureOptions.batchSize(3))) {
                c.run(ModelInputs.of(tensors.toArray(InputTensor[]::new)), b -> {
                    batches[0]++;
                    assertEquals(OnnxJavaType.FLOAT, b.elementType());
                    assertEquals(fx.d(), b.d());
                    int t = b.tokens();
                    for (int k = 0; k < b.boundaries(); k++) {
                        float[] torch = expected.get("h_" + k).floats();
                        MemorySegment h = b.h(k);
                        for (int s = 0; s < b.count(); s++) {
                            long sample = b.start() + s;
                            for (int tok = 0; tok < t; tok++) {
                                boolean pad = mask != null && mask[(int) (sample * t + tok)] == 0;
                                assertEquals(pad, b.isPadding(s, tok));
                                if (pad) {
                                    if (k == 0) padding[0]++;
                                    continue;          // padded rows carry no meaning; torch and ORT need not agree there
                                }
                                for (int j = 0; j < fx.d(); j++) {
                                    float want = torch[(int) ((sample * t + tok) * fx.d() + j)];
                                    float got = h.getAtIndex(ValueLayout.JAVA_FLOAT, ((long) s * t + tok) * fx.d() + j);
                                    worst[0] = Math.max(worst[0], Math.abs(want - got) / (1 + Math.abs(want)));
                                }
                            }
                        }
                    }
                    float[] logits = expected.get("logits").floats();
                    var got = b.outputs().get("logits");
                    int classes = (int) got.shape()[1];
                    for (int i = 0; i < got.values().length; i++) {
                        assertEquals(logits[(int) (b.start() * classes) + i], got.values()[i], 1e-4 * (1 + Math.abs(logits[i])));
                    }
                });
            }
            assertEquals((n + 2) / 3, batches[0]);
            assertTrue(worst[0] < 1e-4, fx.name() + ": worst relative gap to torch " + worst[0]);
            if (mask != null) {
                long zeros = 0;
                for (long v : mask) if (v == 0) zeros++;
                assertTrue(zeros > 0, "the fixture's mask should contain padding");
                assertEquals(zeros, padding[0]);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void exposedModelKeepsTheOriginalOutputs(FixtureManifest.Entry fx) throws IOException {
        Map<String, FixtureArrays.Array> expected = FixtureArrays.read(fx.expected());
        try (OnnxModelFile file = OnnxModelFile.read(fx.model())) {
            List<InputTensor> tensors = new ArrayList<>();
            for (var in : file.proto().getGraph().getInputList()) {
                FixtureArrays.Array a = expected.get(in.getName());
                tensors.add(a.descr().equals("<f4") ? InputTensor.ofFloats(in.getName(), a.floats(), a.shape())
                        : InputTensor.ofLongs(in.getName(), a.longs(), a.shape()));
            }
            ModelInputs in = ModelInputs.of(tensors.toArray(InputTensor[]::new));
            var exposed = OutputExposer.expose(file.proto(), fx.hTensors(), new ResidualShape(fx.tokens(), fx.d()));
            Map<String, float[]> original;
            try (ModelRunner r = ModelRunner.open(file, RuntimeOptions.defaults().withThreads(1))) {
                original = r.collect(in, 4, null);
            }
            try (ModelRunner r = ModelRunner.open(exposed.proto(), file.folder(), RuntimeOptions.defaults().withThreads(1))) {
                assertEquals(original.size() + fx.hTensors().size(), r.outputNames().size());
                Map<String, float[]> all = r.collect(in, 4, null);
                for (String name : original.keySet()) {
                    float[] a = original.get(name);
                    float[] b = all.get(name);
                    assertEquals(a.length, b.length);
                    for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5 * (1 + Math.abs(a[i])), name + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void bertPaddingIsRecordedPerToken() throws IOException {
        var fx = FixtureManifest.named("hf_bert_tiny");
        Map<String, FixtureArrays.Array> expected = FixtureArrays.read(fx.expected());
        ModelInputs in = ModelInputs.of(
                InputTensor.ofLongs("input_ids", expected.get("input_ids").longs(), expected.get("input_ids").shape()),
                InputTensor.ofLongs("attention_mask", expected.get("attention_mask").longs(), expected.get("attention_mask").shape()));
        try (OnnxModelFile file = OnnxModelFile.read(fx.model());
             ActivationCapture c = ActivationCapture.open(file, fx.hTensors(), new ResidualShape(null, fx.d()), CaptureOptions.batchSize(4))) {
            assertEquals("attention_mask", c.maskInput());
            c.run(in, b -> {
                assertEquals(16, b.tokens());
                assertEquals(16 + 12 + 9 + 5, b.realTokens());   // the fixture's unpadded lengths
                assertTrue(b.isPadding(3, 5));
                assertTrue(!b.isPadding(3, 4));
            });
        }
    }
}
