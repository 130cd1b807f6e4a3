package dev.rba.onnx.blocks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.rba.onnx.io.OnnxModelFile;
import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery on the exported fixture models: the h_k it finds, run in ONNX Runtime on the fixture's inputs, must equal
 * torch's residual-stream tensors in {@code <model>.expected.npz}; block parameter counts must equal the torch
 * modules' parameter counts (closed forms from the fixture scripts' configurations).
 */
class FixtureBlockDiscoveryTest {
    private static final Path MODELS = locate("fixtures/models");

    /** Per-block torch parameter count, d, tokens (-1: dynamic) and block-name prefix of block 1 of each fixture. */
    private record Expect(long blockParams, long d, long tokens, String prefixOfBlock1) {
    }

    private static final Map<String, Expect> EXPECT = Map.of(
            // timm-style ViT, d=64, mlp 4d: qkv+proj 4d^2+4d, fc1+fc2 8d^2+5d, norm1+norm2 4d
            "vit_fmnist_b8", new Expect(12L * 64 * 64 + 13 * 64, 64, 50, "/blocks/blocks.1"),
            "vit_fmnist_b8_opset14", new Expect(12L * 64 * 64 + 13 * 64, 64, 50, "/blocks/blocks.1"),
            "vit_anon", new Expect(12L * 64 * 64 + 13 * 64, 64, 50, null),
            // torchvision: d=32, mlp 64: in_proj 3d^2+3d, out_proj d^2+d, mlp 2*d*64+64+d, ln_1+ln_2 4d
            "tv_vit_opset14", new Expect(4L * 32 * 32 + 4 * 32 + 2 * 32 * 64 + 64 + 32 + 4 * 32, 32, 17, "/encoder/layers/encoder_layer_1"),
            "tv_vit_opset17", new Expect(4L * 32 * 32 + 4 * 32 + 2 * 32 * 64 + 64 + 32 + 4 * 32, 32, 17, "/encoder/layers/encoder_layer_1"),
            // HF-style BERT: d=32, intermediate 128: q,k,v,o 4(d^2+d), two LayerNorms 4d, ffn 2*d*128+128+d
            "hf_bert_tiny", new Expect(4L * (32 * 32 + 32) + 4 * 32 + 2 * 32 * 128 + 128 + 32, 32, -1, "/encoder/layer.1"));

    @ParameterizedTest
    @ValueSource(strings = {"vit_fmnist_b8", "vit_fmnist_b8_opset14", "vit_anon", "tv_vit_opset14", "tv_vit_opset17", "hf_bert_tiny"})
    void boundariesMatchTorchResidualStream(String stem) throws Exception {
        Path onnx = MODELS == null ? null : MODELS.resolve(stem + ".onnx");
        Path npz = MODELS == null ? null : MODELS.resolve(stem + ".expected.npz");
        Assumptions.assumeTrue(onnx != null && Files.exists(onnx) && Files.exists(npz), "fixture " + stem + " not exported yet");
        Map<String, NpzTestArrays.Array> expected = NpzTestArrays.read(npz);
        int hCount = 0;
        while (expected.containsKey("h_" + hCount)) hCount++;

        ModelProto proto;
        try (OnnxModelFile file = OnnxModelFile.read(onnx)) {
            proto = file.proto();
        }
        BlockStructure s = BlockDiscovery.discover(OnnxModel.fromProto(proto));
        assertEquals(hCount - 1, s.blockCount(), stem + ": blocks " + s.boundaryNames());
        Expect e = EXPECT.get(stem);
        assertEquals(e.d, s.d(), stem + " d");
        assertEquals(e.tokens, s.tokens(), stem + " tokens");
        for (Block b : s.blocks()) {
            assertEquals(e.blockParams, b.parameters(), stem + " parameters of block " + b.index());
            assertTrue(b.macsPerSample() > 0, stem + " MACs of block " + b.index());
        }
        if (e.prefixOfBlock1 != null) assertEquals(e.prefixOfBlock1, s.blocks().get(1).prefix(), stem + " prefix");

        List<String> manifest = manifestHTensors(stem);
        if (manifest != null) assertEquals(manifest, s.boundaryNames(), stem + ": h tensors of fixtures/manifest.json");

        Map<String, float[]> actual = runExposing(proto, s.boundaryNames(), expected);
        for (int k = 0; k < hCount; k++) {
            float[] want = expected.get("h_" + k).floats();
            float[] got = actual.get(s.boundaryNames().get(k));
            assertEquals(want.length, got.length, stem + " size of h_" + k);
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < want.length; i++) {
                scale = Math.max(scale, Math.abs(want[i]));
                worst = Math.max(worst, Math.abs(want[i] - got[i]));
            }
            assertTrue(worst <= 1e-4 * Math.max(1, scale), stem + ": h_" + k + " ('" + s.boundaryNames().get(k)
                    + "') differs from torch by " + worst);
        }
    }

    /** Runs the model on the npz's inputs with {@code names} as extra outputs; returns them as float arrays. */
    static Map<String, float[]> runExposing(ModelProto proto, List<String> names, Map<String, NpzTestArrays.Array> data)
            throws Exception {
        GraphProto.Builder g = proto.getGraph().toBuilder();
        java.util.Set<String> outs = new java.util.HashSet<>();
        for (ValueInfoProto o : g.getOutputList()) outs.add(o.getName());
        for (ValueInfoProto i : g.getInputList()) outs.add(i.getName());
        for (String n : names) if (outs.add(n)) g.addOutput(ValueInfoProto.newBuilder().setName(n));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try (OrtSession session = env.createSession(proto.toBuilder().setGraph(g).build().toByteArray(), new OrtSession.SessionOptions())) {
            for (String in : session.getInputNames()) {
                NpzTestArrays.Array a = data.get(in);
                feeds.put(in, a.descr().equals("<f4")
                        ? OnnxTensor.createTensor(env, FloatBuffer.wrap(a.floats()), a.shape())
                        : OnnxTensor.createTensor(env, LongBuffer.wrap(a.longs()), a.shape()));
            }
            Map<String, float[]> out = new HashMap<>();
            try (OrtSession.Result r = session.run(feeds)) {
                for (String n : names) {
                    Optional<OnnxValue> v = r.get(n);
                    if (v.isEmpty()) v = feeds.containsKey(n) ? Optional.of(feeds.get(n)) : Optional.empty();
                    OnnxTensor t = (OnnxTensor) v.orElseThrow();
                    FloatBuffer fb = t.getFloatBuffer();
                    float[] f = new float[fb.remaining()];
                    fb.get(f);
                    out.put(n, f);
                }
            }
            return out;
        } finally {
            for (OnnxTensor t : feeds.values()) t.close();
        }
    }

    /**
     * The "h_tensors" list of model {@code stem} in fixtures/manifest.json (the fixture script derives it from the
     * torch module prefixes), or null when there is no manifest. A plain text scan: the test needs no JSON library.
     */
    private static List<String> manifestHTensors(String stem) throws java.io.IOException {
        Path file = MODELS.getParent().resolve("manifest.json");
        if (!Files.exists(file)) return null;
        String text = Files.readString(file);
        int at = text.indexOf("\"name\": \"" + stem + "\"");
        if (at < 0) return null;
        int list = text.indexOf("\"h_tensors\"", at);
        int open = text.indexOf('[', list);
        int close = text.indexOf(']', open);
        if (list < 0 || open < 0 || close < 0) return null;
        List<String> names = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([^\"]*)\"").matcher(text.substring(open, close));
        while (m.find()) names.add(m.group(1));
        return names;
    }

    static Path locate(String relative) {
        Path p = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && p != null; i++, p = p.getParent()) {
            if (Files.isDirectory(p.resolve(relative))) return p.resolve(relative);
        }
        return null;
    }
}
