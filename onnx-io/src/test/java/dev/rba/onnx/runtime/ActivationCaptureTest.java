package dev.rba.onnx.runtime;
import dev.rba.onnx.api.RuntimeOptions;

import dev.rba.onnx.io.ExternalDataPolicy;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.io.OnnxModelWriter;
import dev.rba.onnx.io.TensorDataSources;
import dev.rba.onnx.io.WriteOptions;
import dev.rba.onnx.runtime.OutputExposer.ResidualShape;
import dev.rba.onnx.testmodels.ResidualModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static dev.rba.onnx.testmodels.ResidualModels.Block.AFFINE;
import static dev.rba.onnx.testmodels.ResidualModels.Block.LINEAR;
import static dev.rba.onnx.testmodels.ResidualModels.Block.NONLINEAR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationCaptureTest {
    private static final int D = 8;
    private static final int N = 10;
    private static final ResidualShape SHAPE = ResidualShape.of(ResidualModels.TOKENS, D);

    private static final ResidualModels.Built MODEL = ResidualModels.build(D, List.of(NONLINEAR, LINEAR, AFFINE, NONLINEAR), 21, false);

    private static ModelInputs inputs(int n) {
        return ModelInputs.of(InputTensor.ofFloats("x", ResidualModels.inputs(n, 77), n, ResidualModels.TOKENS, ResidualModels.IN));
    }

    /** Everything captured, concatenated per boundary and for the logits. */
    private static Map<String, float[]> captureAll(ActivationCapture capture, ModelInputs in, List<Integer> counts) {
        Map<String, List<float[]>> parts = new java.util.LinkedHashMap<>();
        capture.run(in, b -> {
            counts.add(b.count());
            assertTrue(b.h(0).isNative(), "boundaries must be off-heap");
            for (int k = 0; k < b.boundaries(); k++) {
                parts.computeIfAbsent(b.boundaryName(k), x -> new ArrayList<>()).add(b.h(k).toArray(ValueLayout.JAVA_FLOAT));
            }
            parts.computeIfAbsent("logits", x -> new ArrayList<>()).add(b.outputs().get("logits").values());
        });
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        parts.forEach((k, v) -> {
            int total = v.stream().mapToInt(a -> a.length).sum();
            float[] all = new float[total];
            int at = 0;
            for (float[] a : v) {
                System.arraycopy(a, 0, all, at, a.length);
                at += a.length;
            }
            out.put(k, all);
        });
        return out;
    }

    @Test
    void pinnedCaptureMatchesOrdinaryOrtOutputsWithAShortLastBatch() {
        var exposed = OutputExposer.expose(MODEL.proto(), MODEL.boundaries(), SHAPE);
        Map<String, float[]> reference;
        try (ModelRunner r = ModelRunner.open(exposed.proto(), null, RuntimeOptions.defaults().withThreads(1))) {
            reference = r.collect(inputs(N), N, null);          // one ordinary run, ORT allocating the outputs
        }
        List<Integer> counts = new ArrayList<>();
        try (ActivationCapture c = ActivationCapture.open(MODEL.proto(), null, MODEL.boundaries(), SHAPE, CaptureOptions.batchSize(4).withThreads(1))) {
            assertEquals(null, c.maskInput());
            Map<String, float[]> got = captureAll(c, inputs(N), counts);
            assertEquals(List.of(4, 4, 2), counts);
            for (String h : MODEL.boundaries()) assertArrayEquals(reference.get(h), got.get(h), 1e-5f, h);
            assertArrayEquals(reference.get("logits"), got.get("logits"), 1e-5f);
            // and the model's outputs equal those of the unmodified model
            try (ModelRunner r = ModelRunner.open(MODEL.proto(), null, RuntimeOptions.defaults().withThreads(1))) {
                assertArrayEquals(r.collect(inputs(N), 3, null).get("logits"), got.get("logits"), 1e-5f);
            }
        }
    }

    @Test
    void capturedBatchCannotBeUsedAfterTheCall() {
        AtomicReference<CapturedBatch> kept = new AtomicReference<>();
        try (ActivationCapture c = ActivationCapture.open(MODEL.proto(), null, MODEL.boundaries(), SHAPE, CaptureOptions.batchSize(4))) {
            c.run(inputs(4), kept::set);
        }
        assertThrows(IllegalStateException.class, () -> kept.get().h(0));
    }

    @Test
    void missingInputAndWrongShapeAreNamed() {
        try (ActivationCapture c = ActivationCapture.open(MODEL.proto(), null, MODEL.boundaries(), SHAPE, CaptureOptions.batchSize(4))) {
            var missing = assertThrows(ModelRunException.class, () -> c.run(ModelInputs.of(
                    InputTensor.ofFloats("pixels", new float[4 * 30], 4, 5, 6)), b -> { }));
            assertTrue(missing.getMessage().contains("'pixels' is not an input"), missing.getMessage());
            var wrong = assertThrows(ModelRunException.class, () -> c.run(ModelInputs.of(
                    InputTensor.ofFloats("x", new float[4 * 5 * 7], 4, 5, 7)), b -> { }));
            assertEquals("input 'x': expected shape [batch,5,6], given [4,5,7]", wrong.getMessage());
            var type = assertThrows(ModelRunException.class, () -> c.run(ModelInputs.of(
                    InputTensor.ofLongs("x", new long[4 * 30], 4, 5, 6)), b -> { }));
            assertTrue(type.getMessage().contains("element type FLOAT"), type.getMessage());
        }
    }

    @Test
    void externalDataModelLoadsFromMemoryWithItsFolder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("residual.onnx");
        OnnxModelWriter.write(MODEL.proto(), TensorDataSources.inlineOnly(), file,
                new WriteOptions(ExternalDataPolicy.EXTERNAL, 16, WriteOptions.DEFAULT_AUTO_LIMIT));
        try (OnnxModelFile onDisk = OnnxModelFile.read(file)) {
            assertTrue(onDisk.hasExternalData());
            Map<String, float[]> inline;
            try (ActivationCapture c = ActivationCapture.open(MODEL.proto(), null, MODEL.boundaries(), SHAPE, CaptureOptions.batchSize(4))) {
                inline = captureAll(c, inputs(N), new ArrayList<>());
            }
            try (ActivationCapture c = ActivationCapture.open(onDisk, MODEL.boundaries(), SHAPE, CaptureOptions.batchSize(4))) {
                Map<String, float[]> external = captureAll(c, inputs(N), new ArrayList<>());
                for (String k : inline.keySet()) assertArrayEquals(inline.get(k), external.get(k), 0f, k);
            }
            try (ModelRunner r = ModelRunner.open(onDisk, RuntimeOptions.defaults())) {
                assertArrayEquals(inline.get("logits"), r.collect(inputs(N), 4, null).get("logits"), 1e-6f);
            }
            // without the folder ORT cannot find the weights: the folder is what makes it work
            assertThrows(ModelRunException.class, () -> ModelRunner.open(onDisk.proto(), null, RuntimeOptions.defaults()).close());
        }
        assertFalse(java.nio.file.Files.list(dir).anyMatch(p -> !p.getFileName().toString().startsWith("residual.onnx")),
                "nothing may be written beside the model");
    }

    @Test
    void offHeapInputsAreAccepted() {
        float[] x = ResidualModels.inputs(N, 77);
        try (var arena = java.lang.foreign.Arena.ofConfined();
             ActivationCapture c = ActivationCapture.open(MODEL.proto(), null, MODEL.boundaries(), SHAPE, CaptureOptions.batchSize(4))) {
            MemorySegment seg = arena.allocate((long) x.length * 4, 64);
            MemorySegment.copy(x, 0, seg, ValueLayout.JAVA_FLOAT, 0, x.length);
            ModelInputs offHeap = ModelInputs.of(new InputTensor("x", ai.onnxruntime.OnnxJavaType.FLOAT,
                    new long[] {N, ResidualModels.TOKENS, ResidualModels.IN}, seg));
            Map<String, float[]> a = captureAll(c, offHeap, new ArrayList<>());
            Map<String, float[]> b = captureAll(c, inputs(N), new ArrayList<>());
            assertArrayEquals(b.get(MODEL.boundaries().getLast()), a.get(MODEL.boundaries().getLast()), 0f);
        }
    }
}
