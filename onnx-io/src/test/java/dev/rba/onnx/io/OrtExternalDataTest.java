package dev.rba.onnx.io;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ONNX Runtime itself reads what the writer wrote: inline, external, and tensors supplied off-heap by name. */
class OrtExternalDataTest {
    private static final float[][] X = {{1, 2, 3, 4}, {-0.5f, 0.25f, 8, -2}};

    @TempDir
    Path dir;

    /** y = x W + b computed here, in double, as the independent reference. */
    private static float[][] reference() {
        float[] w = TinyModels.weights();
        float[] b = TinyModels.bias();
        float[][] y = new float[X.length][TinyModels.OUT];
        for (int r = 0; r < X.length; r++) {
            for (int c = 0; c < TinyModels.OUT; c++) {
                double s = b[c];
                for (int k = 0; k < TinyModels.IN; k++) {
                    s += (double) X[r][k] * w[k * TinyModels.OUT + c];
                }
                y[r][c] = (float) s;
            }
        }
        return y;
    }

    /** Runs the model from its path, so ONNX Runtime resolves the external data file itself. */
    static float[][] run(Path model) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(model.toString(), opts);
                 OnnxTensor x = OnnxTensor.createTensor(env, X);
                 OrtSession.Result r = s.run(Map.of("x", x))) {
                return (float[][]) r.get(0).getValue();
            }
        }
    }

    private static void assertClose(float[][] expected, float[][] actual) {
        for (int r = 0; r < expected.length; r++) {
            for (int c = 0; c < expected[r].length; c++) {
                assertEquals(expected[r][c], actual[r][c], 1e-5f, "y[" + r + "][" + c + "]");
            }
        }
    }

    @Test
    void ortGivesTheSameOutputsForInlineAndExternalModels() throws Exception {
        Path ext = TinyModels.matMulAddWithExternalData(dir, "inline.onnx", "ext.onnx", 0, 2);
        Path inline = dir.resolve("inline.onnx");
        try (OnnxModelFile m = OnnxModelFile.read(ext)) {
            assertTrue(m.hasExternalData());
            assertFalse(m.proto().getGraph().getInitializer(0).hasRawData());
        }
        float[][] a = run(inline);
        float[][] b = run(ext);
        assertClose(reference(), a);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
        }
    }

    @Test
    void floatsHelperBuildsWhatOrtReads() throws Exception {
        ModelProto m = TinyModels.matMulAdd();
        ModelProto rebuilt = m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0,
                TensorProtos.floats("W", TinyModels.weights(), TinyModels.IN, TinyModels.OUT))).build();
        assertEquals(m, rebuilt);
        OnnxModelWriter.write(rebuilt, dir.resolve("floats.onnx"));
        assertClose(reference(), run(dir.resolve("floats.onnx")));
    }

    @Test
    void tensorsSuppliedOffHeapByNameAreWrittenInlineAndExternal() throws Exception {
        // W declared with name, type and dims only; its bytes live in a native segment, as a fitted T would
        ModelProto m = TinyModels.matMulAdd();
        TensorProto declared = TensorProtos.declare("W", TensorDataType.FLOAT, TinyModels.IN, TinyModels.OUT);
        ModelProto withoutW = m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0, declared)).build();
        float[] w = TinyModels.weights();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(4L * w.length, 64);
            for (int i = 0; i < w.length; i++) {
                seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i, w[i]);
            }
            TensorDataSource src = TensorDataSources.withOverrides(Map.of("W", seg), TensorDataSources.inlineOnly());
            OnnxModelWriter.write(withoutW, src, dir.resolve("new_inline.onnx"), WriteOptions.inline());
            WriteResult r = OnnxModelWriter.write(withoutW, src, dir.resolve("new_ext.onnx"),
                    WriteOptions.external().withExternalThreshold(16));
            assertEquals(1, r.externalTensors());
        }
        assertClose(reference(), run(dir.resolve("new_inline.onnx")));
        assertClose(reference(), run(dir.resolve("new_ext.onnx")));
        try (OnnxModelFile f = OnnxModelFile.read(dir.resolve("new_ext.onnx"))) {
            assertArrayEquals(w, f.initializer("W").toFloatArray());
        }
    }
}
