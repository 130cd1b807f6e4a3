package dev.rba.core.approx;

import dev.rba.core.Rba;
import dev.rba.core.analysis.AnalysisOptions;
import dev.rba.core.analysis.RedundancyAnalysis;
import dev.rba.core.analysis.RedundancyReport;
import dev.rba.core.analysis.SimilarityTable;
import dev.rba.core.analysis.SpanScore;
import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.data.NdArray;
import dev.rba.core.data.Npy;
import dev.rba.core.eval.EvaluationOptions;
import dev.rba.core.eval.EvaluationReport;
import dev.rba.core.eval.Evaluator;
import dev.rba.core.fit.FitMethod;
import dev.rba.core.onnx.CalibrationInputs;
import dev.rba.core.onnx.OnnxLoadedModel;
import dev.rba.core.pipeline.ActivationExport;
import dev.rba.core.pipeline.CalibrationOptions;
import dev.rba.core.pipeline.CalibrationPass;
import dev.rba.core.pipeline.CalibrationResult;
import dev.rba.core.pipeline.LoadedModel;
import dev.rba.core.stats.TokenSelection;
import dev.rba.onnx.api.RuntimeOptions;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;
import dev.rba.onnx.runtime.ModelRunException;
import dev.rba.onnx.runtime.ModelRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model whose inputs fix the batch at 1 (what torch.onnx.export writes without dynamic_axes) works in every pass,
 * one sample per ONNX Runtime run, and gives what the same graph with a dynamic batch gives. The fixed model is the
 * committed ViT with axis 0 of its input and output set to 1: that graph computes every shape from Shape nodes (no
 * Reshape holds a batch), so both files are one function and differ only in the batches ONNX Runtime accepts. Every
 * pass is asked for 32 samples per run; the dynamic model's results, run at that size, are the reference.
 */
class FixedBatchFixtureTest extends OnVitFixture {
    private static final double TOLERANCE = 1e-6;

    @TempDir
    static Path dir;
    static Path fixedPath;
    static OnnxLoadedModel fixed;
    static CalibrationData fixedData;

    @BeforeAll
    static void writeFixedBatchModel() throws Exception {
        fixedPath = withBatchOne(VitFixture.model(), dir.resolve("vit_fixed1.onnx"));
        fixed = OnnxLoadedModel.open(fixedPath, List.of());
        fixedData = VitFixture.testImages(fixed);
    }

    @AfterAll
    static void closeFixed() {
        if (fixed != null) fixed.close();
    }

    /** {@code model} with axis 0 of every graph input and output set to 1, written to {@code out}. */
    static Path withBatchOne(Path model, Path out) throws Exception {
        ModelProto.Builder m = ModelProto.parseFrom(Files.readAllBytes(model)).toBuilder();
        List<ValueInfoProto.Builder> ends = new java.util.ArrayList<>(m.getGraphBuilder().getInputBuilderList());
        ends.addAll(m.getGraphBuilder().getOutputBuilderList());
        for (ValueInfoProto.Builder v : ends) v.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(0).setDimValue(1);
        Files.write(out, m.build().toByteArray());
        return out;
    }

    private static int[] range(int from, int count) {
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) idx[i] = from + i;
        return idx;
    }

    private static float[] logits(Path file, int batch) throws Exception {
        try (OnnxModelFile f = OnnxModelFile.read(file);
             ModelRunner r = ModelRunner.open(f, RuntimeOptions.defaults().withThreads(1))) {
            return r.collect(new CalibrationInputs(data, range(100, 24), batch), batch, List.of("logits")).get("logits");
        }
    }

    private static void assertClose(double expected, double actual, String what) {
        assertClose(expected, actual, TOLERANCE, what);
    }

    /** Within {@code tolerance} (relative to the larger of 1 and |expected|), or NaN in both (CKA of a constant row). */
    private static void assertClose(double expected, double actual, double tolerance, String what) {
        if (Double.isNaN(expected) && Double.isNaN(actual)) return;
        assertTrue(Math.abs(expected - actual) <= tolerance * Math.max(1, Math.abs(expected)),
                what + ": " + actual + " on the fixed-batch model, " + expected + " on the dynamic one");
    }

    private static void assertClose(float[] expected, float[] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
            norm = Math.max(norm, Math.abs(expected[i]));
        }
        assertTrue(diff <= relative * norm, what + ": max difference " + diff + " of " + norm);
    }

    /** The premise: ONNX Runtime runs the fixed model at batch 1 only, where it computes the dynamic model's logits. */
    @Test
    void theFixedModelRunsOnlyAtBatchOneAndComputesTheSameFunction() throws Exception {
        ModelRunException refused = assertThrows(ModelRunException.class, () -> logits(fixedPath, 8));
        assertTrue(refused.getMessage().contains("[1,1,28,28]"), refused.getMessage());
        assertClose(logits(VitFixture.model(), 8), logits(fixedPath, 1), 1e-5, "logits");
        assertEquals(1, fixed.inputSpecs().getFirst().shape()[0]);
    }

    @Test
    void analyzeGivesTheDynamicModelsFigures() {
        int[] samples = range(0, 40);
        CalibrationOptions options = CalibrationOptions.defaults().withBatchSize(32).withRuntime(1, false);
        CalibrationResult dyn = CalibrationPass.run(model, data, samples, backend, options, null, null);
        CalibrationResult one = CalibrationPass.run(fixed, fixedData, samples, backend, options, null, null);
        assertEquals(2, dyn.timings().batches());
        assertEquals(40, one.timings().batches(), "one sample per run");
        assertEquals(TokenSelection.CLS, one.summaryToken().token(), one.summaryToken().reason());
        assertEquals(dyn.summaryToken().reason(), one.summaryToken().reason());
        RedundancyReport a = RedundancyAnalysis.analyze(dyn.fitStatistics(), dyn.similarityStatistics(), AnalysisOptions.all());
        RedundancyReport b = RedundancyAnalysis.analyze(one.fitStatistics(), one.similarityStatistics(), AnalysisOptions.all());
        assertEquals(a.rows(), b.rows());
        assertEquals(a.spans().size(), b.spans().size());
        Map<String, SpanScore> bySpan = new java.util.HashMap<>();
        for (SpanScore s : b.spans()) bySpan.put(s.span(), s);
        for (SpanScore s : a.spans()) {
            SpanScore t = bySpan.get(s.span());
            assertClose(s.br(), t.br(), "BR of " + s.span());
            assertClose(s.summaryCosine(), t.summaryCosine(), "cosine of " + s.span());
            assertClose(s.relativeChange(), t.relativeChange(), "relative change of " + s.span());
        }
        assertEquals(a.matrices().size(), b.matrices().size());
        for (int m = 0; m < a.matrices().size(); m++) {
            SimilarityTable x = a.matrices().get(m);
            SimilarityTable y = b.matrices().get(m);
            assertEquals(x.metric(), y.metric());
            for (int i = 0; i < x.size(); i++) {
                for (int j = 0; j < x.size(); j++) assertClose(x.values()[i][j], y.values()[i][j], x.metric() + "[" + i + "][" + j + "]");
            }
        }
    }

    private static Approximator approximator(OnnxLoadedModel m, CalibrationData d) {
        return approximator(m, d, 32);
    }

    private static Approximator approximator(OnnxLoadedModel m, CalibrationData d, int batch) {
        ApproximationOptions o = ApproximationOptions.defaults().withMethod(FitMethod.LINEAR).withSamples(64, 120)
                .withBatchSize(batch).withSeed(5).withRuntime(1, false);
        return new Approximator(m, d, backend, o, ProgressListener.NONE);
    }

    /**
     * --replace: the same fit, the same held-out scores, and a written model that keeps its fixed batch and computes
     * what the dynamic model's approximation computes; evaluate then compares it with its original at batch 1.
     */
    @Test
    void approximateAndEvaluateGiveTheDynamicModelsResults() throws Exception {
        Approximator dynApprox = approximator(model, data);
        Approximator oneApprox = approximator(fixed, fixedData);
        assertEquals(1, oneApprox.options().batchSize());
        List<Span> spans = List.of(new Span(4, 5));
        Approximation a = dynApprox.approximate(spans);
        Approximation b = oneApprox.approximate(spans);
        // the residual is a difference of fp32-summed Gram terms: other batches (and so another centring shift, the
        // first batch's column means) move it by 1e-4 of itself; the dynamic model at batch 1 gives the same figure
        double residual = b.fits().getFirst().fit().relativeResidual();
        assertClose(a.fits().getFirst().fit().relativeResidual(), residual, 1e-3, "fit residual");
        Approximator dynAtOneApprox = approximator(model, data, 1);
        Approximation atOne = dynAtOneApprox.approximate(spans);
        assertClose(atOne.fits().getFirst().fit().relativeResidual(), residual, 1e-9, "fit residual at batch 1");
        HeldOutScore dynOriginal = dynApprox.checkOriginal();
        HeldOutScore oneOriginal = oneApprox.checkOriginal();
        HeldOutScore dynScore = dynApprox.check(a);
        HeldOutScore oneScore = oneApprox.check(b);
        assertEquals(dynOriginal.accuracy(), oneOriginal.accuracy());
        assertEquals(dynScore.accuracy(), oneScore.accuracy());
        assertEquals(dynScore.agreement(), oneScore.agreement());
        assertClose(dynScore.klDivergence(), oneScore.klDivergence(), 1e-3, "KL divergence (T differs by that rounding)");

        Path dynOut = dynApprox.save(a, dir.resolve("dyn-4-5.onnx"), dynOriginal, dynScore).model();
        Path oneOut = oneApprox.save(b, dir.resolve("fixed-4-5.onnx"), oneOriginal, oneScore).model();
        try (LoadedModel written = LoadedModel.open(oneOut, List.of())) {
            assertEquals(List.of(1L, 1L, 28L, 28L), java.util.Arrays.stream(written.inputSpecs().getFirst().shape()).boxed().toList());
        }
        assertThrows(ModelRunException.class, () -> logits(oneOut, 8));
        // T is fitted at condition 1e5, so that rounding moves logits by 1e-4 of their largest; the dynamic model's
        // T fitted at batch 1 (the same sums) gives the fixed model's logits to fp32 rounding
        assertClose(logits(dynOut, 8), logits(oneOut, 1), 1e-3, "logits of the two approximations");
        Path dynAtOneOut = dynAtOneApprox.save(atOne, dir.resolve("dyn-at-1-4-5.onnx"), null, null).model();
        assertClose(logits(dynAtOneOut, 8), logits(oneOut, 1), 1e-5, "logits of the approximations at batch 1");

        EvaluationOptions eval = EvaluationOptions.defaults().withLimit(100).withBatchSize(32).withLatency(1, 3);
        EvaluationReport dynEval = Evaluator.evaluate(dynAtOneOut, VitFixture.model(), data, eval);
        EvaluationReport oneEval = Evaluator.evaluate(oneOut, fixedPath, fixedData, eval);
        assertEquals(dynEval.model().correct(), oneEval.model().correct());
        assertEquals(dynEval.baseline().correct(), oneEval.baseline().correct());
        assertEquals(dynEval.agreement().sameTop1(), oneEval.agreement().sameTop1());
        assertClose(dynEval.agreement().meanCosine(), oneEval.agreement().meanCosine(), "mean output cosine");
        assertEquals(32, dynEval.model().latency().batchSize());
        assertEquals(1, oneEval.model().latency().batchSize());
        assertTrue(oneEval.notes().stream().anyMatch(n -> n.contains("fixes its batch at 1")), oneEval.notes().toString());
        // a fixed-batch approximation against its dynamic original: both run one sample at a time
        EvaluationReport mixed = Evaluator.evaluate(oneOut, VitFixture.model(), fixedData, eval);
        assertEquals(dynEval.agreement().sameTop1(), mixed.agreement().sameTop1());
        assertEquals(1, mixed.baseline().latency().batchSize());
    }

    /** --remove: the staged selection on held-out samples chooses the same spans with the same scores. */
    @Test
    void removeChoosesTheSameSpans() throws Exception {
        SearchOptions search = new SearchOptions(4, 2, null, 0);
        SelectionResult a = SpanSelection.select(approximator(model, data), SelectionGoal.remove(2), search);
        SelectionResult b = SpanSelection.select(approximator(fixed, fixedData), SelectionGoal.remove(2), search);
        assertTrue(a.found() && b.found());
        assertEquals(a.chosen().spans(), b.chosen().spans());
        assertEquals(a.chosen().score().accuracy(), b.chosen().score().accuracy());
        assertEquals(a.stages(), b.stages());
    }

    /** capture: the .npy files hold the dynamic model's activations. */
    @Test
    void captureWritesTheDynamicModelsActivations() throws Exception {
        int[] samples = range(10, 12);
        int[] h = {0, 5};
        ActivationExport.Options o = new ActivationExport.Options(TokenSelection.ALL, 32, 1, false);
        ActivationExport.Result dyn = ActivationExport.export(model, data, samples, h, dir.resolve("npy-dyn"), o, null);
        ActivationExport.Result one = ActivationExport.export(fixed, fixedData, samples, h, dir.resolve("npy-one"), o, null);
        assertEquals(1, dyn.timings().batches());
        assertEquals(12, one.timings().batches());
        for (int i = 0; i < h.length; i++) {
            NdArray x = Npy.read(dyn.hFiles().get(i));
            NdArray y = Npy.read(one.hFiles().get(i));
            assertEquals(java.util.Arrays.toString(x.shape()), java.util.Arrays.toString(y.shape()));
            float[] xs = new float[(int) x.elementCount()];
            float[] ys = new float[(int) y.elementCount()];
            for (int k = 0; k < xs.length; k++) {
                xs[k] = (float) x.getDouble(k);
                ys[k] = (float) y.getDouble(k);
            }
            assertClose(xs, ys, 1e-5, "h_" + h[i]);
        }
    }

    /** The Java API: Rba.open on the fixed model analyses, approximates and evaluates with its default 32 per run. */
    @Test
    void theJavaApiWorksOnAFixedBatchModel() throws Exception {
        Path images = VitFixture.fashionMnist();
        Rba.Settings settings = Rba.Settings.defaults().withSplit("test").withBackend("java");
        RedundancyReport viaApi;
        try (Rba rba = Rba.open(fixedPath, settings)) {
            viaApi = rba.analyze(images, 40);
            Rba.Result r = rba.approximate(images, List.of(new Span(4, 5)), FitMethod.LINEAR, dir.resolve("api.onnx"));
            assertTrue(r.approximated().samples() > 0);
            EvaluationReport e = rba.evaluate(r.saved().model(), images, 50);
            assertEquals(1, e.model().latency().batchSize());
            assertEquals(50, e.model().samples());
        }
        try (Rba rba = Rba.open(VitFixture.model(), settings)) {
            RedundancyReport reference = rba.analyze(images, 40);
            assertEquals(reference.spans().getFirst().span(), viaApi.spans().getFirst().span());
            assertClose(reference.spans().getFirst().br(), viaApi.spans().getFirst().br(), "best BR");
        }
    }

    /** A text model whose token ids and mask are [1, sequence] (BERT exported without dynamic axes). */
    @Test
    void aTextModelWithAFixedBatchMaskGivesTheDynamicModelsFigures() throws Exception {
        Path folder = VitFixture.repoFolder("fixtures/models");
        Path bert = folder.resolve("hf_bert_tiny.onnx");
        Path npz = folder.resolve("hf_bert_tiny.expected.npz");
        Path bertOne = withBatchOne(bert, dir.resolve("bert_fixed1.onnx"));
        double[] br = new double[2];
        for (int k = 0; k < 2; k++) {
            try (LoadedModel m = LoadedModel.open(k == 0 ? bert : bertOne, List.of())) {
                assertEquals("attention_mask", m.maskInput());
                CalibrationData d = DataSources.open(npz, m.inputSpecs(), DataOptions.defaults(m.metadata()));
                CalibrationOptions options = CalibrationOptions.defaults().withBatchSize(4).withRuntime(1, false);
                CalibrationResult r = CalibrationPass.run(m, d, range(0, 4), backend, options, null, null);
                assertEquals(k == 0 ? 1 : 4, r.timings().batches());
                br[k] = RedundancyAnalysis.analyze(r.fitStatistics(), r.similarityStatistics(), AnalysisOptions.all())
                        .spans().stream().filter(s -> s.span().equals("1-2")).findFirst().orElseThrow().br();
            }
        }
        assertClose(br[0], br[1], "BR of span 1-2");
    }
}
