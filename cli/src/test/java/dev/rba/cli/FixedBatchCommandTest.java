package dev.rba.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command on a model exported without a dynamic batch axis: the ViT fixture with axis 0 of its input and output
 * set to 1 runs one sample at a time (saying so once) and gives the dynamic model's figures; one fixed at 2 is refused.
 */
class FixedBatchCommandTest {
    private static final Path MODEL = CliRunner.FIXTURES.resolve("models/vit_fmnist_b8.onnx");
    private static final Path DATA = CliRunner.FIXTURES.resolve("data/fashion-mnist");

    @TempDir
    static Path dir;
    static Path one;
    static Path two;

    @BeforeAll
    static void fixedBatchModels() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(MODEL), "vit_fmnist_b8.onnx fixture not exported yet");
        one = atBatch(1);
        two = atBatch(2);
    }

    /** The fixture with the batch axis of its one input and one output fixed at {@code batch}. */
    private static Path atBatch(long batch) throws Exception {
        ModelProto.Builder m = ModelProto.parseFrom(Files.readAllBytes(MODEL)).toBuilder();
        GraphProto.Builder g = m.getGraphBuilder();
        g.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(0).setDimValue(batch);
        g.getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(0).setDimValue(batch);
        return Files.write(dir.resolve("vit_batch" + batch + ".onnx"), m.build().toByteArray());
    }

    private static CliRunner run(String command, Path model, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, model.toString(), "--data", DATA.toString(), "--split", "test",
                "--threads", "1"));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private static Map<String, Double> brBySpan(String json) throws Exception {
        Map<String, Double> br = new HashMap<>();
        for (JsonNode s : new ObjectMapper().readTree(json).get("spans")) br.put(s.get("span").asText(), s.get("br").asDouble());
        return br;
    }

    @Test
    void analyzeRunsOneSampleAtATimeAndGivesTheDynamicModelsBlockRedundancy() throws Exception {
        CliRunner fixed = run("analyze", one, "--samples", "40", "--batch-size", "8", "--backend", "java", "--json");
        fixed.assertSucceededPrinting("\"spans\"");
        assertTrue(fixed.err().contains("rba: note: model input 'pixel_values' fixes the batch at 1 (shape [1,1,28,28]): "
                + "ONNX Runtime runs one sample at a time, not the 8 of --batch-size"), fixed.err());
        CliRunner dynamic = run("analyze", MODEL, "--samples", "40", "--batch-size", "8", "--backend", "java", "--json");
        dynamic.assertSucceededPrinting("\"spans\"");
        assertFalse(dynamic.err().contains("fixes the batch"), dynamic.err());
        Map<String, Double> expected = brBySpan(dynamic.out());
        Map<String, Double> actual = brBySpan(fixed.out());
        assertEquals(expected.keySet(), actual.keySet());
        for (String span : expected.keySet()) {
            double e = expected.get(span);
            assertTrue(Math.abs(actual.get(span) - e) <= 1e-6 * Math.max(1, Math.abs(e)), span + ": " + actual.get(span) + " vs " + e);
        }
    }

    @Test
    void approximateRemoveEvaluateAndCaptureWork() throws Exception {
        Path out = dir.resolve("removed.onnx");
        CliRunner approx = run("approximate", one, "--samples", "48", "--check-samples", "64", "--backend", "java",
                "--remove", "1", "-o", out.toString());
        approx.assertSucceededPrinting("held-out (64 samples", "wrote " + out);
        CliRunner inspect = CliRunner.run("inspect", out.toString(), "--json");
        inspect.assertSucceededPrinting("float[1,1,28,28]");

        CliRunner eval = run("evaluate", out, "--baseline", one.toString(), "--limit", "40", "--latency-repeats", "2");
        eval.assertSucceededPrinting("latency median (batch 1)", "a model fixes its batch at 1");

        Path npy = dir.resolve("npy");
        CliRunner capture = run("capture", one, "--samples", "6", "--blocks", "0,8", "--npy", npy.toString());
        capture.assertSucceededPrinting("h_0.npy, h_8.npy [6, 50, 64] float32");
    }

    @Test
    void aBatchFixedAboveOneIsRefusedBeforeAnyWork() {
        CliRunner r = run("analyze", two, "--samples", "8");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("model input 'pixel_values' has a fixed batch of 2 (shape [2,1,28,28])")
                && r.err().contains("dynamic_axes={'pixel_values': {0: 'batch'}}"), r.err());
        assertEquals(1, r.err().lines().filter(l -> !l.startsWith("WARNING")).count(), r.err());
    }
}
