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
import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data without labels, for every kind of output rba scores: an image classifier (agreement), a text classifier
 * (agreement), a text encoder's hidden states (mask-aware mean-pooled cosine), a pooled sentence embedding (cosine)
 * and any other output (relative L2); the last three checked against an independent computation from ONNX
 * Runtime's outputs (and, for hidden states, the data's own mask).
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
            // the accuracy search counts right answers: without labels it is refused, naming why
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpanSelection.select(
                    approximator(model, data, 64, 64), SelectionGoal.remove(1),
                    new SearchOptions(2, 1, null, 0).withAccuracy()));
            assertTrue(e.getMessage().contains("no labels"), e.getMessage());
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
        String last;
        try (OnnxLoadedModel m = OnnxLoadedModel.open(bert, List.of())) {
            last = m.boundaryNames().getLast();
        }
        // the same model with its classifier head cut off: the output is h_L, [batch, tokens, d]
        Path encoder = withOutput(bert, "bert_last_hidden_state.onnx", last, List.of(), true, 32);
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

    @Test
    void pooledEmbeddingWithoutLabelsIsScoredByCosine() throws Exception {
        Path bert = VitFixture.repoFolder("fixtures/models/hf_bert_tiny.onnx");
        // the BERT fixture ending at its pooler (tanh of the [CLS] vector, [batch, d]) under the name
        // sentence-embedding models give it: auto-detected as a pooled embedding
        Path encoder = withOutput(bert, "bert_pooler_output.onnx", "pooler_output",
                List.of(NodeProto.newBuilder().setOpType("Identity").addInput("/pooler/Tanh_output_0")
                        .addOutput("pooler_output").build()), false, 32);
        RemovedOne o = removeOneBlock(encoder, tokens(80, 16, 5), "pooler_output");
        assertEquals(QualityMeasure.POOLED_EMBEDDING, o.selection().measure());
        // independent reference: both models run by ONNX Runtime, 1 - cosine per check sample, averaged
        float[] y0 = o.original();
        float[] y1 = o.approximated();
        int samples = y0.length / 32;
        double loss = 0;
        for (int i = 0; i < samples; i++) {
            double dot = 0, n0 = 0, n1 = 0;
            for (int c = 0; c < 32; c++) {
                dot += (double) y0[i * 32 + c] * y1[i * 32 + c];
                n0 += (double) y0[i * 32 + c] * y0[i * 32 + c];
                n1 += (double) y1[i * 32 + c] * y1[i * 32 + c];
            }
            loss += 1 - dot / Math.sqrt(n0 * n1);
        }
        assertEquals(100 * loss / samples, o.selection().chosen().drop(), 1e-6);
        assertTrue(o.selection().chosen().drop() > 0, "a replaced block changes the embedding");
    }

    @Test
    void anyOtherOutputWithoutLabelsIsScoredByRelativeL2() throws Exception {
        Path bert = VitFixture.repoFolder("fixtures/models/hf_bert_tiny.onnx");
        // the logits reshaped to [batch, 2, 1, 1]: rank 4 is neither class scores nor embeddings
        TensorProto shape = TensorProto.newBuilder().setDataType(7).addDims(4).addAllInt64Data(List.of(0L, 2L, 1L, 1L)).build();
        Path other = withOutput(bert, "bert_rank4.onnx", "score_map", List.of(
                NodeProto.newBuilder().setOpType("Constant").addOutput("rank4_shape").addAttribute(AttributeProto.newBuilder()
                        .setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(shape)).build(),
                NodeProto.newBuilder().setOpType("Reshape").addInput("logits").addInput("rank4_shape")
                        .addOutput("score_map").build()), false, 2, 1, 1);
        RemovedOne o = removeOneBlock(other, tokens(80, 16, 9), "score_map");
        assertEquals(QualityMeasure.RELATIVE_L2, o.selection().measure());
        float[] y0 = o.original();
        float[] y1 = o.approximated();
        double err = 0, ref = 0;
        for (int i = 0; i < y0.length; i++) {
            err += ((double) y1[i] - y0[i]) * ((double) y1[i] - y0[i]);
            ref += (double) y0[i] * y0[i];
        }
        assertEquals(100 * Math.sqrt(err / ref), o.selection().chosen().drop(), 1e-6);
        assertTrue(o.selection().chosen().drop() > 0, "a replaced block changes the output");
    }

    /** A selection of one block and what the original and the chosen approximation output on its check samples. */
    private record RemovedOne(SelectionResult selection, float[] original, float[] approximated) {
    }

    /** --remove 1 on unlabelled data (2 candidates, single spans), then both models run by ONNX Runtime. */
    private static RemovedOne removeOneBlock(Path modelFile, Path npz, String output) throws Exception {
        try (OnnxLoadedModel model = OnnxLoadedModel.open(modelFile, List.of())) {
            CalibrationData data = DataSources.open(npz, model.inputSpecs(), DataOptions.defaults(model.metadata()));
            assertTrue(!data.hasLabels());
            Approximator a = approximator(model, data, 40, 40);
            SelectionResult r = SpanSelection.select(a, SelectionGoal.remove(1), new SearchOptions(2, 1, null, 0));
            int[] check = a.split().check();
            return new RemovedOne(r, run(model.file().proto(), model, data, check, output),
                    run(r.approximation().proto(), model, data, check, output));
        }
    }

    /**
     * {@code src} with {@code nodes} appended and {@code output} as its only output, of shape [batch, trailing...]
     * or, {@code perToken}, [batch, sequence, trailing...], with the token ids' own symbolic batch and sequence axes.
     */
    private static Path withOutput(Path src, String name, String output, List<NodeProto> nodes, boolean perToken,
                                   long... trailing)
            throws Exception {
        Path dst = dir.resolve(name);
        try (OnnxModelFile f = OnnxModelFile.read(src)) {
            ModelProto.Builder b = f.proto().toBuilder();
            var idShape = b.getGraph().getInput(0).getType().getTensorType().getShape();
            var shape = TensorShapeProto.newBuilder().addDim(idShape.getDim(0));
            if (perToken) shape.addDim(idShape.getDim(1));
            for (long t : trailing) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(t));
            b.getGraphBuilder().addAllNode(nodes).clearOutput().addOutput(ValueInfoProto.newBuilder().setName(output)
                    .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))));
            Files.write(dst, b.build().toByteArray());
        }
        return dst;
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
