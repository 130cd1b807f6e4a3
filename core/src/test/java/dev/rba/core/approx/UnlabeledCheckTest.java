package dev.rba.core.approx;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.data.ElementType;
import dev.rba.core.data.NdArray;
import dev.rba.core.data.Npz;
import dev.rba.core.linalg.Backend;
import dev.rba.core.linalg.Backends;
import dev.rba.core.onnx.CalibrationInputs;
import dev.rba.core.onnx.OnnxLoadedModel;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;
import dev.rba.onnx.runtime.ModelRunner;
import dev.rba.onnx.api.RuntimeOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data without labels, for every kind of output rba scores: an image classifier (agreement), a text classifier
 * (agreement) and a text encoder's hidden states (mask-aware mean-pooled cosine, checked against an independent
 * computation from ONNX Runtime's outputs and the data's own mask).
 */
class UnlabeledCheckTest {
    private static Backend backend;
    @TempDir
    static Path dir;

    @BeforeAll
    static void open() {
        backend = Backends.open("java").backend();
    }

    @AfterAll
    static void close() {
        if (backend != null) backend.close();
    }

    @Test
    void imageClassifierWithoutLabelsIsScoredByAgreement() throws Exception {
        Path src = VitFixture.repoFolder("fixtures/data/fashion-mnist-npz/test-200.npz");
        Map<String, NdArray> arrays = new LinkedHashMap<>(Npz.read(src));
        arrays.remove("labels");
        Path npz = dir.resolve("images-unlabelled.npz");
        Npz.write(npz, arrays, false);
        try (OnnxLoadedModel model = VitFixture.open()) {
            CalibrationData data = DataSources.open(npz, model.inputSpecs(), DataOptions.defaults(model.metadata()));
            assertTrue(!data.hasLabels());
            Approximator a = approximator(model, data, 64, 64);
            SelectionResult r = SpanSelection.select(a, SelectionGoal.remove(1), new SearchOptions(2, 1, null, 0));
            HeldOutScore s = r.chosen().score();
            assertEquals(QualityMeasure.CLASS_SCORES, s.measure());
            assertTrue(Double.isNaN(s.accuracy()));
            assertEquals(100 * (1 - s.agreement()), s.drop(), 1e-9);
            assertTrue(s.agreementInterval().low() <= s.agreement() && s.agreement() <= s.agreementInterval().high());
        }
    }

    @Test
    void textClassifierWithoutLabels() throws Exception {
        Path bert = VitFixture.repoFolder("fixtures/models/hf_bert_tiny.onnx");
        Path npz = tokens(80, 16, 7);
        try (OnnxLoadedModel model = OnnxLoadedModel.open(bert, List.of())) {
            CalibrationData data = DataSources.open(npz, model.inputSpecs(), DataOptions.defaults(model.metadata()));
            Approximator a = approximator(model, data, 40, 40);
            SelectionResult r = SpanSelection.select(a, SelectionGoal.remove(1), new SearchOptions(2, 1, null, 0));
            assertEquals(QualityMeasure.CLASS_SCORES, r.measure());
            assertEquals(100 * (1 - r.chosen().score().agreement()), r.chosen().drop(), 1e-9);
        }
    }

    @Test
    void hiddenStatesArePooledOverRealTokensOnly() throws Exception {
        Path bert = VitFixture.repoFolder("fixtures/models/hf_bert_tiny.onnx");
        Path encoder = dir.resolve("bert_last_hidden_state.onnx");
        String last;
        try (OnnxLoadedModel m = OnnxLoadedModel.open(bert, List.of())) {
            last = m.boundaryNames().getLast();
        }
        // the same model with its classifier head cut off: the output is h_L, [batch, tokens, d]
        try (OnnxModelFile f = OnnxModelFile.read(bert)) {
            ModelProto.Builder b = f.proto().toBuilder();
            // [batch, sequence] of the input, then d: the same symbolic axes as the token ids
            var shape = b.getGraph().getInput(0).getType().getTensorType().getShape().toBuilder()
                    .addDim(dev.rba.onnx.proto.OnnxProto.TensorShapeProto.Dimension.newBuilder().setDimValue(32));
            b.getGraphBuilder().clearOutput().addOutput(ValueInfoProto.newBuilder().setName(last)
                    .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))));
            Files.write(encoder, b.build().toByteArray());
        }
        Path npz = tokens(80, 16, 3);
        Map<String, NdArray> arrays = Npz.read(npz);
        try (OnnxLoadedModel model = OnnxLoadedModel.open(encoder, List.of())) {
            CalibrationData data = DataSources.open(npz, model.inputSpecs(), DataOptions.defaults(model.metadata()));
            Approximator a = approximator(model, data, 40, 40);
            HeldOutScore original = a.checkOriginal();
            assertEquals(QualityMeasure.TOKEN_EMBEDDINGS, original.measure());
            assertEquals(0.0, original.drop(), 1e-12);
            Approximation approx = a.approximate(List.of(new Span(1, 2)));
            HeldOutScore s = a.check(approx);
            // independent reference: run both models, pool the real tokens of each check sample, average 1 - cosine
            int[] check = a.split().check();
            float[] y0 = run(model.file().proto(), model, data, check, last);
            float[] y1 = run(approx.proto(), model, data, check, last);
            NdArray mask = arrays.get("attention_mask");
            int d = (int) model.blocks().d();
            int tokens = 16;
            double loss = 0;
            for (int i = 0; i < check.length; i++) {
                double[] p0 = new double[d];
                double[] p1 = new double[d];
                for (int t = 0; t < tokens; t++) {
                    if (mask.getLong((long) check[i] * tokens + t) == 0) continue;
                    for (int c = 0; c < d; c++) {
                        p0[c] += y0[(i * tokens + t) * d + c];
                        p1[c] += y1[(i * tokens + t) * d + c];
                    }
                }
                double dot = 0, n0 = 0, n1 = 0;
                for (int c = 0; c < d; c++) {
                    dot += p0[c] * p1[c];
                    n0 += p0[c] * p0[c];
                    n1 += p1[c] * p1[c];
                }
                loss += 1 - dot / Math.sqrt(n0 * n1);
            }
            assertEquals(100 * loss / check.length, s.drop(), 1e-6);
            assertTrue(s.drop() > 0, "a replaced span changes the hidden states");
            assertTrue(s.dropInterval().low() <= s.drop() && s.drop() <= s.dropInterval().high());
        }
    }

    private static float[] run(ModelProto proto, OnnxLoadedModel model, CalibrationData data, int[] samples, String output) {
        try (ModelRunner r = ModelRunner.open(proto, model.file().folder(), RuntimeOptions.defaults().withThreads(1))) {
            return r.collect(new CalibrationInputs(data, samples, 16), 16, List.of(output)).get(output);
        }
    }

    private static Approximator approximator(OnnxLoadedModel model, CalibrationData data, int fit, int check) {
        ApproximationOptions o = ApproximationOptions.defaults().withSamples(fit, check).withBatchSize(16).withRuntime(1, false);
        return new Approximator(model, data, backend, o, ProgressListener.NONE);
    }

    /** Random token ids (vocabulary 1,000) of lengths 4..tokens, padded with 0 and masked. */
    private static Path tokens(int n, int tokens, long seed) throws Exception {
        Random random = new Random(seed);
        NdArray ids = NdArray.allocate(ElementType.INT64, n, tokens);
        NdArray mask = NdArray.allocate(ElementType.INT64, n, tokens);
        for (int s = 0; s < n; s++) {
            int len = 4 + random.nextInt(tokens - 3);
            for (int t = 0; t < len; t++) {
                ids.setLong((long) s * tokens + t, 1 + random.nextInt(999));
                mask.setLong((long) s * tokens + t, 1);
            }
        }
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("input_ids", ids);
        m.put("attention_mask", mask);
        Path f = dir.resolve("tokens-" + seed + ".npz");
        Npz.write(f, m, false);
        return f;
    }
}
