package dev.rba.core.eval;

import dev.rba.core.data.CalibrationData;
import dev.rba.core.data.DataOptions;
import dev.rba.core.data.DataSources;
import dev.rba.core.data.NdArray;
import dev.rba.core.data.Npz;
import dev.rba.core.onnx.OnnxLoadedModel;
import dev.rba.onnx.blocks.Block;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.io.OnnxModelWriter;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.rewrite.SpanReplacement;
import dev.rba.onnx.rewrite.SpanRewriter;
import dev.rba.onnx.runtime.InputTensor;
import dev.rba.onnx.runtime.ModelInputs;
import dev.rba.onnx.runtime.ModelRunner;
import dev.rba.onnx.api.RuntimeOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evaluator on the Fashion-MNIST ViT fixture and 200 labelled test images (.npz), against references computed
 * here by other means: logits from a plain {@link ModelRunner} run over the arrays read with {@link Npz}, block
 * parameters and MACs from block discovery, a model with one block replaced by the identity.
 */
class EvaluatorTest {
    static final Path FIXTURES = Path.of("..", "fixtures").toAbsolutePath().normalize();
    static final Path VIT = FIXTURES.resolve("models/vit_fmnist_b8.onnx");
    static final Path NPZ = FIXTURES.resolve("data/fashion-mnist-npz/test-200.npz");
    static final int SAMPLES = 200;
    /** The block dropped for the identity test: a middle one, whose removal changes some predictions. */
    static final int DROPPED = 3;

    @TempDir
    static Path dir;
    static Path identityModel;
    static Block dropped;
    static long d;

    @BeforeAll
    static void buildIdentityModel() throws Exception {
        try (OnnxLoadedModel m = OnnxLoadedModel.open(VIT, List.of())) {
            dropped = m.blocks().blocks().get(DROPPED);
            d = m.blocks().d();
            OnnxModel model = m.model();
            float[] identity = new float[(int) (d * d)];
            for (int i = 0; i < d; i++) identity[i * (int) d + i] = 1f;
            SpanRewriter.rewrite(model, List.of(new SpanReplacement(dropped.input(), dropped.output(), identity, null)));
            identityModel = dir.resolve("vit_without_block3.onnx");
            OnnxModelWriter.write(model.toProto(), identityModel);
        }
    }

    static CalibrationData open(Path modelPath) throws Exception {
        try (OnnxLoadedModel m = OnnxLoadedModel.open(modelPath, List.of())) {
            return DataSources.open(NPZ, m.inputSpecs(), DataOptions.defaults(m.metadata()));
        }
    }

    static EvaluationOptions fast() {
        return EvaluationOptions.defaults().withLatency(1, 3).withThreads(1);
    }

    @Test
    void accuracyMatchesLogitsComputedDirectly() throws Exception {
        EvaluationReport r = Evaluator.evaluate(VIT, null, open(VIT), fast().withBatchSize(48));
        // reference: the arrays straight from the .npz, one ORT run of all 200, arg-max here
        Map<String, NdArray> arrays = Npz.read(NPZ);
        NdArray pixels = arrays.get("pixel_values");
        NdArray labels = arrays.get("labels");
        float[] x = pixels.data().toArray(ValueLayout.JAVA_FLOAT);
        float[] logits;
        try (OnnxModelFile f = OnnxModelFile.read(VIT); ModelRunner runner = ModelRunner.open(f, RuntimeOptions.defaults().withThreads(1))) {
            logits = runner.collect(ModelInputs.of(InputTensor.ofFloats("pixel_values", x, pixels.shape())), SAMPLES, List.of("logits")).get("logits");
        }
        int correct = 0;
        for (int s = 0; s < SAMPLES; s++) {
            int best = 0;
            for (int c = 1; c < 10; c++) if (logits[s * 10 + c] > logits[s * 10 + best]) best = c;
            if (best == labels.getLong(s)) correct++;
        }
        assertEquals(SAMPLES, r.model().samples());
        assertEquals(correct, r.model().correct());
        assertEquals((double) correct / SAMPLES, r.model().accuracy(), 0.0);
        assertTrue(r.model().accuracy() > 0.5, "the fixture is trained: " + r.model().accuracy());
        assertEquals(List.of(10L), r.model().outputShape());
        assertNull(r.baseline());
        assertNull(r.agreement());
    }

    @Test
    void modelAgreesWithItselfCompletely() throws Exception {
        EvaluationReport r = Evaluator.evaluate(VIT, VIT, open(VIT), fast().withLimit(64));
        assertEquals(64, r.agreement().samples());
        assertEquals(1.0, r.agreement().top1Agreement(), 0.0);
        assertEquals(1.0, r.agreement().meanCosine(), 1e-9);
        assertEquals(1.0, r.agreement().minCosine(), 1e-9);
        assertEquals(r.baseline().correct(), r.model().correct());
        assertEquals(r.baseline().size().parameters(), r.model().size().parameters());
    }

    @Test
    void droppingABlockLowersAgreementParametersAndMacs() throws Exception {
        EvaluationReport r = Evaluator.evaluate(identityModel, VIT, open(VIT), fast());
        assertTrue(r.agreement().top1Agreement() < 1.0, "agreement " + r.agreement());
        assertTrue(r.agreement().meanCosine() < 1.0, "cosine " + r.agreement());
        // the block's weights are gone; T = I (d x d) came in
        long expectedDrop = dropped.parameters() - d * d;
        assertEquals(expectedDrop, r.baseline().size().parameters() - r.model().size().parameters());
        // its MACs are gone; the MatMul by T costs tokens x d x d per sample
        long expectedMacDrop = dropped.macsPerSample() - dropped.tokens() * d * d;
        assertEquals(expectedMacDrop, r.baseline().size().macsPerSample() - r.model().size().macsPerSample());
        assertTrue(r.model().size().fileBytes() < r.baseline().size().fileBytes());
        assertEquals(Files.size(identityModel), r.model().size().fileBytes());
        assertEquals(Files.size(VIT), r.baseline().size().fileBytes());
    }

    @Test
    void latencyIsMeasuredForBothModelsWithTheMachineNamed() throws Exception {
        EvaluationReport r = Evaluator.evaluate(identityModel, VIT, open(VIT), fast().withLimit(40).withBatchSize(16).withLatency(1, 5));
        for (ModelEvaluation e : List.of(r.model(), r.baseline())) {
            LatencyStats l = e.latency();
            assertEquals(16, l.batchSize());
            assertEquals(5, l.repeats());
            assertTrue(l.minMs() > 0 && l.minMs() <= l.medianMs() && l.medianMs() <= l.p90Ms(), l.toString());
        }
        assertTrue(r.latencyRatio() > 0, "ratio " + r.latencyRatio());
        assertFalse(r.machine().cpu().isBlank());
        assertEquals(1, r.machine().ortThreads());
        assertEquals(1, r.machine().effectiveOrtThreads());
        assertTrue(r.machine().logicalCores() >= 1);
        assertEquals("cpu", r.machine().provider());
    }

    @Test
    void noLatencyWhenRepeatsAreZero() throws Exception {
        EvaluationReport r = Evaluator.evaluate(VIT, null, open(VIT), fast().withLimit(8).withLatency(0, 0));
        assertNull(r.model().latency());
        assertTrue(Double.isNaN(r.latencyRatio()));
    }

    @Test
    void tableHasEveryMetricSideBySide() throws Exception {
        EvaluationReport r = Evaluator.evaluate(identityModel, VIT, open(VIT), fast().withLimit(32));
        List<String> metrics = r.table().stream().map(ComparisonRow::metric).toList();
        assertEquals("top-1 accuracy", metrics.get(0));
        assertTrue(metrics.contains("top-1 agreement with baseline"), metrics.toString());
        assertTrue(metrics.contains("mean output cosine"), metrics.toString());
        assertTrue(metrics.contains("parameters") && metrics.contains("MACs per sample") && metrics.contains("file size"), metrics.toString());
        assertTrue(metrics.stream().anyMatch(m -> m.startsWith("latency median")), metrics.toString());
        ComparisonRow params = r.table().stream().filter(x -> x.metric().equals("parameters")).findFirst().orElseThrow();
        assertEquals(r.baseline().size().parameters(), params.baselineValue(), 0.0);
        assertEquals(r.model().size().parameters(), params.modelValue(), 0.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void mismatchedModelsAreRefused(String what, Path model, Path baseline, int limit, List<String> said) throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Evaluator.evaluate(model, baseline, open(VIT), fast().withLimit(limit)));
        for (String s : said) assertTrue(e.getMessage().contains(s), what + ": " + e.getMessage());
    }

    static Stream<Arguments> refusals() throws IOException {
        return Stream.of(
                Arguments.of("a baseline whose output has another shape", VIT, tinyClassifier(5), 4,
                        List.of("logits", "tiny_5_classes.onnx")),
                Arguments.of("a baseline with other inputs", VIT, FIXTURES.resolve("models/hf_bert_tiny.onnx"), 4,
                        List.of("pixel_values", "input_ids")),
                Arguments.of("labels beyond the model's output", tinyClassifier(3), null, 50, List.of("label")));
    }

    /** A one-layer classifier of 28x28 images into {@code classes} classes, written into the class's folder. */
    static Path tinyClassifier(int classes) throws IOException {
        Path file = dir.resolve("tiny_" + classes + "_classes.onnx");
        if (!Files.exists(file)) OnnxModelWriter.write(TinyClassifier.model(classes), file);
        return file;
    }

    @Test
    void sizeWorksWithoutDiscoveringBlocks() throws Exception {
        Path tiny = tinyClassifier(10);
        ModelSize s = Evaluator.size(tiny);
        assertEquals(784L * 10, s.parameters());
        assertEquals(784L * 10, s.macsPerSample());
        assertEquals(Files.size(tiny), s.fileBytes());
    }
}
