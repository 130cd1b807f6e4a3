package dev.rba.onnx.blocks;

import dev.rba.onnx.ir.OnnxModel;
import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.rba.onnx.blocks.SyntheticGraphs.intAttr;
import static dev.rba.onnx.blocks.SyntheticGraphs.intsAttr;

/**
 * Tiny transformer encoders built node by node, shaped like torch exports: reshapes computed from Shape(x), LayerNorm
 * fused or decomposed, optional meaningless names, and (post-norm) an additive attention mask computed once from a
 * second input and read by every block. The builder records h_0..h_L so tests know the right answer.
 */
final class TinyEncoderGraphs {
    enum Norm { PRE, POST }

    final int blocks;
    final int d;
    final int tokens;
    final int hidden;
    final boolean fusedLayerNorm;
    final boolean anonymous;
    /** Tensor names of h_0..h_L in the built graph. */
    final List<String> h = new ArrayList<>();

    private final GraphProto.Builder g = GraphProto.newBuilder().setName("tiny_encoder");
    private final Random random = new Random(7);
    private int counter;
    private boolean relu;
    private final java.util.Set<String> usedNames = new java.util.HashSet<>();
    private String scope = "";

    private TinyEncoderGraphs(int blocks, int d, int tokens, boolean fusedLayerNorm, boolean anonymous) {
        this.blocks = blocks;
        this.d = d;
        this.tokens = tokens;
        this.hidden = 4 * d;
        this.fusedLayerNorm = fusedLayerNorm;
        this.anonymous = anonymous;
    }

    /** Pre-norm ViT-like encoder over input "x" [batch, tokens, 12]: h + attn(LN(h)), then + mlp(LN(.)). */
    static TinyEncoderGraphs preNorm(int blocks, int d, int tokens, boolean fusedLayerNorm, boolean anonymous) {
        return preNorm(blocks, d, tokens, fusedLayerNorm, anonymous, false);
    }

    /** As above; with {@code alternating}, odd blocks use ReLU instead of sigmoid-GELU, so blocks differ in structure. */
    static TinyEncoderGraphs preNorm(int blocks, int d, int tokens, boolean fusedLayerNorm, boolean anonymous, boolean alternating) {
        TinyEncoderGraphs t = new TinyEncoderGraphs(blocks, d, tokens, fusedLayerNorm, anonymous);
        t.input("x", TensorProto.DataType.FLOAT_VALUE, "batch", (long) tokens, 12L);
        t.scope = "/patch_embed";
        String x = t.linear("x", 12, d, "proj");
        t.scope = "";
        String h = t.op("Add", "pos_add", x, t.weight("pos_embed", tokens, d));
        t.h.add(h);
        for (int k = 0; k < blocks; k++) {
            t.scope = "/blocks/blocks." + k;
            String a = t.attention(t.layerNorm(h, "norm1"), null);
            String r = t.op("Add", "Add", h, a);
            t.relu = alternating && k % 2 == 1;
            String m = t.mlp(t.layerNorm(r, "norm2"));
            h = t.op("Add", "Add_1", r, m);
            t.h.add(h);
        }
        t.scope = "";
        String n = t.layerNorm(h, "norm");
        String cls = t.op("Gather", "Gather", List.of(n, t.intConst("cls_index", 0)), List.of(intAttr("axis", 1)));
        t.output(t.op("Gemm", "head", cls, t.weight("head.weight", d, 3), t.weight("head.bias", 3)), 3);
        return t;
    }

    /** Post-norm BERT-like encoder over "input_ids" and "attention_mask" [batch, sequence]: LN(h + attn), LN(. + ffn). */
    static TinyEncoderGraphs postNorm(int blocks, int d, boolean fusedLayerNorm, boolean anonymous) {
        TinyEncoderGraphs t = new TinyEncoderGraphs(blocks, d, -1, fusedLayerNorm, anonymous);
        t.input("input_ids", TensorProto.DataType.INT64_VALUE, "batch", "sequence");
        t.input("attention_mask", TensorProto.DataType.INT64_VALUE, "batch", "sequence");
        t.scope = "";
        String m1 = t.op("Unsqueeze", "Unsqueeze", "attention_mask", t.longsConst("mask_axes", 1));
        String mf = t.op("Cast", "Cast", List.of(m1), List.of(intAttr("to", TensorProto.DataType.FLOAT_VALUE)));
        String inv = t.op("Sub", "Sub", t.floatConst("one", 1f), mf);
        String mask = t.op("Mul", "Mul", inv, t.floatConst("neg", -10000f));
        t.scope = "/embeddings";
        String words = t.op("Gather", "word_embeddings/Gather", t.weight("embeddings.word_embeddings.weight", 50, d), "input_ids");
        String shape = t.op("Shape", "Shape", "input_ids");
        String len = t.op("Gather", "Gather", List.of(shape, t.intConst("one_index", 1)), List.of(intAttr("axis", 0)));
        String range = t.op("Range", "Range", t.longScalar("zero", 0), len, t.longScalar("step", 1));
        String pos = t.op("Gather", "position_embeddings/Gather", t.weight("embeddings.position_embeddings.weight", 64, d), range);
        String h = t.layerNorm(t.op("Add", "Add", words, pos), "LayerNorm");
        t.h.add(h);
        for (int k = 0; k < blocks; k++) {
            t.scope = "/encoder/layer." + k;
            String a = t.attention(h, mask);
            String r = t.layerNorm(t.op("Add", "attention/output/Add", a, h), "attention/output/LayerNorm");
            String f = t.mlp(r);
            h = t.layerNorm(t.op("Add", "output/Add", f, r), "output/LayerNorm");
            t.h.add(h);
        }
        t.scope = "/pooler";
        String cls = t.op("Gather", "Gather", List.of(h, t.intConst("cls_index", 0)), List.of(intAttr("axis", 1)));
        String pooled = t.op("Tanh", "Tanh", t.op("Gemm", "dense", cls, t.weight("pooler.weight", d, d), t.weight("pooler.bias", d)));
        t.scope = "";
        t.output(t.op("Gemm", "classifier", pooled, t.weight("classifier.weight", d, 2), t.weight("classifier.bias", 2)), 2);
        return t;
    }

    OnnxModel model() {
        return OnnxModel.fromProto(proto());
    }

    ModelProto proto() {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("rba-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g).build();
    }

    /** Parameters of one block: q,k,v,proj with biases, fc1, fc2 with biases, two LayerNorms. */
    long blockParameters() {
        return 4L * (d * d + d) + (long) d * hidden + hidden + (long) hidden * d + d + 4L * d;
    }

    /** MACs of one block per sample for {@code t} tokens: projections 4td^2, mlp 2td*hidden, scores and mix 2t^2 d. */
    long blockMacs(long t) {
        return 4 * t * d * d + 2 * t * d * hidden + 2 * t * t * d;
    }

    // ---- layers ----

    private String attention(String x, String mask) {
        String q = reshapeHeads(linear(x, d, d, "attn/q"));
        String k = reshapeHeads(linear(x, d, d, "attn/k"));
        String v = reshapeHeads(linear(x, d, d, "attn/v"));
        String kt = op("Transpose", "attn/Transpose", List.of(k), List.of(intsAttr("perm", 0, 2, 1)));
        String scores = op("Div", "attn/Div", op("MatMul", "attn/MatMul", q, kt), floatConst("attn/scale", (float) Math.sqrt(d)));
        if (mask != null) scores = op("Add", "attn/Add", scores, mask);
        String p = op("Softmax", "attn/Softmax", List.of(scores), List.of(intAttr("axis", -1)));
        return linear(op("MatMul", "attn/MatMul_1", p, v), d, d, "attn/proj");
    }

    /** Reshape to [batch, tokens, d] with the target computed from Shape(x), as torch exports do. */
    private String reshapeHeads(String x) {
        String shape = op("Shape", "attn/Shape", x);
        String b = op("Gather", "attn/Gather", List.of(shape, intConst("attn/zero", 0)), List.of(intAttr("axis", 0)));
        String t = op("Gather", "attn/Gather_1", List.of(shape, intConst("attn/one", 1)), List.of(intAttr("axis", 0)));
        String bu = op("Unsqueeze", "attn/Unsqueeze", b, longsConst("attn/axes0", 0));
        String tu = op("Unsqueeze", "attn/Unsqueeze_1", t, longsConst("attn/axes1", 0));
        String target = op("Concat", "attn/Concat", List.of(bu, tu, longsConst("attn/width", d)), List.of(intAttr("axis", 0)));
        return op("Reshape", "attn/Reshape", x, target);
    }

    private String mlp(String x) {
        String a = linear(x, d, hidden, "mlp/fc1");
        if (relu) return linear(op("Relu", "mlp/act/Relu", a), hidden, d, "mlp/fc2");
        String gelu = op("Mul", "mlp/act/Mul", a, op("Sigmoid", "mlp/act/Sigmoid", op("Mul", "mlp/act/Mul_1", a, floatConst("mlp/act/k", 1.702f))));
        return linear(gelu, hidden, d, "mlp/fc2");
    }

    private String linear(String x, int in, int out, String name) {
        String y = op("MatMul", name + "/MatMul", x, weight(name + ".weight", in, out));
        return op("Add", name + "/Add", weight(name + ".bias", out), y);
    }

    private String layerNorm(String x, String name) {
        String gamma = weight(name + ".weight", d);
        String beta = weight(name + ".bias", d);
        if (fusedLayerNorm) {
            return op("LayerNormalization", name + "/LayerNormalization", List.of(x, gamma, beta),
                    List.of(intAttr("axis", -1)));
        }
        String mean = op("ReduceMean", name + "/ReduceMean", List.of(x), List.of(intsAttr("axes", -1)));
        String centred = op("Sub", name + "/Sub", x, mean);
        String sq = op("Pow", name + "/Pow", centred, floatConst(name + "/two", 2f));
        String var = op("ReduceMean", name + "/ReduceMean_1", List.of(sq), List.of(intsAttr("axes", -1)));
        String std = op("Sqrt", name + "/Sqrt", op("Add", name + "/Add", var, floatConst(name + "/eps", 1e-6f)));
        String norm = op("Div", name + "/Div", centred, std);
        return op("Add", name + "/Add_1", op("Mul", name + "/Mul", norm, gamma), beta);
    }

    // ---- proto helpers ----

    private void input(String name, int elemType, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object o : dims) {
            if (o instanceof Long l) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(l));
            else s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam((String) o));
        }
        g.addInput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s))));
    }

    private void output(String name, int classes) {
        g.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
    }

    private String op(String type, String name, String... inputs) {
        return op(type, name, List.of(inputs), List.of());
    }

    private String op(String type, String name, List<String> inputs, List<AttributeProto> attrs) {
        int id = counter++;
        String nodeName = anonymous ? "n" + id : scope + "/" + name;
        for (int copy = 1; !usedNames.add(nodeName); copy++) nodeName = scope + "/" + name + "_" + copy;
        String out = anonymous ? "t" + id : nodeName + "_output_0";
        g.addNode(NodeProto.newBuilder().setOpType(type).setName(nodeName).addAllInput(inputs).addOutput(out).addAllAttribute(attrs));
        return out;
    }

    private String weight(String name, long... dims) {
        long n = 1;
        for (long x : dims) n *= x;
        TensorProto.Builder t = TensorProto.newBuilder().setName(initName(name)).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (long x : dims) t.addDims(x);
        for (long i = 0; i < n; i++) t.addFloatData((float) (random.nextGaussian() * 0.1));
        g.addInitializer(t);
        return t.getName();
    }

    private String floatConst(String name, float value) {
        TensorProto t = TensorProto.newBuilder().setDataType(TensorProto.DataType.FLOAT_VALUE).addFloatData(value).build();
        return constantNode(name, t);
    }

    private String intConst(String name, long value) {
        return constantNode(name, TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64_VALUE).addInt64Data(value).build());
    }

    private String longScalar(String name, long value) {
        return intConst(name, value);
    }

    private String longsConst(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.length);
        for (long v : values) t.addInt64Data(v);
        return constantNode(name, t.build());
    }

    private String constantNode(String name, TensorProto value) {
        return op("Constant", name + "/Constant", List.of(), List.of(AttributeProto.newBuilder().setName("value")
                .setType(AttributeProto.AttributeType.TENSOR).setT(value).build()));
    }

    private String initName(String name) {
        String prefix = scope.replace("/blocks/", "").replace("/", ".").replaceFirst("^\\.", "");
        return anonymous ? "w" + counter++ : (prefix.isEmpty() ? "" : prefix + ".") + name.replace('/', '.');
    }
}
