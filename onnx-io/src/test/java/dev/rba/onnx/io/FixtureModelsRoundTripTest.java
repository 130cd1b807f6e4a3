package dev.rba.onnx.io;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exported fixture models (fixtures/models, made by tools/fixtures) survive load/save unchanged, and ONNX
 * Runtime gives bit-identical outputs for the original, an INLINE copy and an EXTERNAL copy. Skipped for fixtures
 * not exported yet.
 */
class FixtureModelsRoundTripTest {
    @TempDir
    Path dir;

    static Path fixture(String name) {
        for (Path base : new Path[] {Path.of("..", "fixtures", "models"), Path.of("fixtures", "models")}) {
            Path p = base.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"vit_fmnist_b8.onnx", "vit_fmnist_b8_opset14.onnx", "hf_bert_tiny.onnx"})
    void fixtureRoundTripsLosslesslyAndRunsTheSame(String name) throws Exception {
        Path original = fixture(name);
        Assumptions.assumeTrue(original != null, name + " not exported yet");
        Path inline = dir.resolve("inline.onnx");
        Path external = dir.resolve("external.onnx");
        try (OnnxModelFile m = OnnxModelFile.read(original)) {
            OnnxModelWriter.write(m, inline, WriteOptions.inline());
            WriteResult r = OnnxModelWriter.write(m, external, WriteOptions.external());
            assertTrue(r.externalTensors() > 0);
        }
        byte[] a = Files.readAllBytes(original);
        if (!containsExternal(original)) {
            assertArrayEquals(a, Files.readAllBytes(inline), "INLINE save of an unchanged model must keep its bytes");
        }
        try (OnnxModelFile o = OnnxModelFile.read(original); OnnxModelFile e = OnnxModelFile.read(external)) {
            assertEquals(o.parameterCount(), e.parameterCount());
            assertEquals(o.initializers(), e.initializers()); // names, types, dims and every byte
            assertArrayEquals(o.proto().getUnknownFields().toByteArray(), e.proto().getUnknownFields().toByteArray());
        }

        Map<String, float[]> expected = run(original);
        assertTrue(!expected.isEmpty());
        for (Path copy : new Path[] {inline, external}) {
            Map<String, float[]> got = run(copy);
            assertEquals(expected.keySet(), got.keySet());
            for (String out : expected.keySet()) {
                assertArrayEquals(expected.get(out), got.get(out), out + " of " + copy.getFileName());
            }
        }
    }

    private static boolean containsExternal(Path model) throws Exception {
        try (OnnxModelFile m = OnnxModelFile.read(model)) {
            return m.hasExternalData();
        }
    }

    /** Runs with fixed pseudo-random inputs (dynamic dims = 2; integer inputs = 1) and returns float outputs. */
    private static Map<String, float[]> run(Path model) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, float[]> outputs = new LinkedHashMap<>();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(model.toString(), opts)) {
                Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
                try {
                    SplittableRandom rnd = new SplittableRandom(7);
                    for (NodeInfo in : s.getInputInfo().values()) {
                        TensorInfo ti = (TensorInfo) in.getInfo();
                        long[] shape = ti.getShape().clone();
                        long n = 1;
                        for (int i = 0; i < shape.length; i++) {
                            shape[i] = shape[i] < 0 ? 2 : shape[i];
                            n *= shape[i];
                        }
                        OnnxTensor t;
                        if (ti.type == OnnxJavaType.FLOAT) {
                            float[] v = new float[(int) n];
                            for (int i = 0; i < v.length; i++) {
                                v[i] = (float) rnd.nextDouble(-1, 1);
                            }
                            t = OnnxTensor.createTensor(env, FloatBuffer.wrap(v), shape);
                        } else if (ti.type == OnnxJavaType.INT64) {
                            long[] v = new long[(int) n];
                            java.util.Arrays.fill(v, 1);
                            t = OnnxTensor.createTensor(env, LongBuffer.wrap(v), shape);
                        } else if (ti.type == OnnxJavaType.BOOL || ti.type == OnnxJavaType.UINT8) {
                            byte[] v = new byte[(int) n];
                            java.util.Arrays.fill(v, (byte) 1);
                            t = OnnxTensor.createTensor(env, ByteBuffer.wrap(v), shape, ti.type);
                        } else {
                            throw new IllegalStateException("fixture input " + in.getName() + " has type " + ti.type);
                        }
                        inputs.put(in.getName(), t);
                    }
                    try (OrtSession.Result r = s.run(inputs)) {
                        for (Map.Entry<String, OnnxValue> e : r) {
                            if (e.getValue() instanceof OnnxTensor t && t.getInfo().type == OnnxJavaType.FLOAT) {
                                FloatBuffer fb = t.getFloatBuffer();
                                float[] v = new float[fb.remaining()];
                                fb.get(v);
                                outputs.put(e.getKey(), v);
                            }
                        }
                    }
                } finally {
                    for (OnnxTensor t : inputs.values()) {
                        t.close();
                    }
                }
            }
        }
        return outputs;
    }
}
