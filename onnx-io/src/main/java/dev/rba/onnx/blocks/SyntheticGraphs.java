package dev.rba.onnx.blocks;

import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * Large valid graphs built in memory, for timing block discovery ({@code rba bench discovery}) and for tests that
 * need many nodes without a file: a chain of Identity nodes, which holds no block (discovery must refuse it), and a
 * pre-norm encoder of many identical tiny blocks, which discovery must find. Every tensor's shape is declared in
 * value_info, so discovery reads shapes from the file and never runs ONNX Runtime (whose cost is not discovery's).
 */
public final class SyntheticGraphs {
    /** Nodes of one {@link #encoder} block: attention (LayerNorm, q/k/v, scores, softmax, mix, projection), MLP. */
    public static final int NODES_PER_BLOCK = 15;
    /** Nodes of an {@link #encoder} outside its blocks: the final LayerNorm and the head. */
    public static final int ENCODER_EXTRA_NODES = 2;

    private static final int WIDTH = 4;
    private static final int HIDDEN = 2 * WIDTH;
    private static final int TOKENS = 3;
    private static final int CLASSES = 2;

    private SyntheticGraphs() {
    }

    /** {@code n} Identity nodes in a row, v0 -> v1 -> ... -> vn, over a [1, 4, 8] float input. */
    public static ModelProto identityChain(int n) {
        TypeProto type = floatType(1, 4, 8);
        GraphProto.Builder g = GraphProto.newBuilder().setName("chain")
                .addInput(ValueInfoProto.newBuilder().setName("v0").setType(type));
        for (int i = 0; i < n; i++) {
            g.addNode(NodeProto.newBuilder().setOpType("Identity").setName("id" + i).addInput("v" + i).addOutput("v" + (i + 1)));
        }
        g.addOutput(ValueInfoProto.newBuilder().setName("v" + n).setType(type));
        return model(g);
    }

    /** The blocks of an {@link #encoder} with about {@code nodes} nodes (at least 2). */
    public static int encoderBlocksFor(int nodes) {
        return Math.max(2, (nodes - ENCODER_EXTRA_NODES) / NODES_PER_BLOCK);
    }

    /**
     * A pre-norm encoder of {@code blocks} blocks, h_{k+1} = r + MLP(LN(r)) with r = h_k + Attn(LN(h_k)), width 4,
     * 3 tokens, one head, then LN and a linear head; node names numbered like a torch export
     * ({@code /blocks/blocks.K/attn/MatMul}), parameters per block. h_k is named {@code h<k>}.
     */
    public static ModelProto encoder(int blocks) {
        Encoder e = new Encoder();
        e.g.setName("encoder").addInput(ValueInfoProto.newBuilder().setName("h0").setType(floatType(1, TOKENS, WIDTH)));
        String h = "h0";
        for (int k = 0; k < blocks; k++) h = e.block(k, h);
        String logits = e.matMul("/head/MatMul", e.layerNorm("/norm", "norm", h), "head.weight", WIDTH, CLASSES);
        e.g.addOutput(ValueInfoProto.newBuilder().setName(logits).setType(floatType(1, TOKENS, CLASSES)));
        return model(e.g);
    }

    /** Builds an encoder node by node, declaring each output's shape. */
    private static final class Encoder {
        final GraphProto.Builder g = GraphProto.newBuilder();

        String block(int k, String h) {
            String s = "/blocks/blocks." + k;
            String w = "blocks." + k + ".";
            String x = layerNorm(s + "/norm1", w + "norm1", h);
            String q = matMul(s + "/attn/q/MatMul", x, w + "attn.q.weight", WIDTH, WIDTH);
            String key = matMul(s + "/attn/k/MatMul", x, w + "attn.k.weight", WIDTH, WIDTH);
            String v = matMul(s + "/attn/v/MatMul", x, w + "attn.v.weight", WIDTH, WIDTH);
            String kt = node("Transpose", s + "/attn/Transpose", new long[] {1, WIDTH, TOKENS}, intsAttr("perm", 0, 2, 1), key);
            String scores = node("MatMul", s + "/attn/MatMul", new long[] {1, TOKENS, TOKENS}, null, q, kt);
            String p = node("Softmax", s + "/attn/Softmax", new long[] {1, TOKENS, TOKENS}, intAttr("axis", -1), scores);
            String mixed = node("MatMul", s + "/attn/MatMul_1", new long[] {1, TOKENS, WIDTH}, null, p, v);
            String attn = matMul(s + "/attn/proj/MatMul", mixed, w + "attn.proj.weight", WIDTH, WIDTH);
            String r = node("Add", s + "/Add", new long[] {1, TOKENS, WIDTH}, null, h, attn);
            String up = matMul(s + "/mlp/fc1/MatMul", layerNorm(s + "/norm2", w + "norm2", r), w + "mlp.fc1.weight", WIDTH, HIDDEN);
            String act = node("Relu", s + "/mlp/act/Relu", new long[] {1, TOKENS, HIDDEN}, null, up);
            String mlp = matMul(s + "/mlp/fc2/MatMul", act, w + "mlp.fc2.weight", HIDDEN, WIDTH);
            String out = "h" + (k + 1);
            g.addNode(NodeProto.newBuilder().setOpType("Add").setName(s + "/Add_1").addInput(r).addInput(mlp).addOutput(out));
            g.addValueInfo(ValueInfoProto.newBuilder().setName(out).setType(floatType(1, TOKENS, WIDTH)));
            return out;
        }

        String layerNorm(String name, String weights, String x) {
            return node("LayerNormalization", name + "/LayerNormalization", new long[] {1, TOKENS, WIDTH}, intAttr("axis", -1), x,
                    weight(weights + ".weight", WIDTH), weight(weights + ".bias", WIDTH));
        }

        String matMul(String name, String x, String weightName, int in, int out) {
            long[] shape = {1, TOKENS, out};
            return node("MatMul", name, shape, null, x, weight(weightName, in, out));
        }

        /** A node with one output, {@code <name>_output_0} as torch names it, of the given float shape. */
        String node(String op, String name, long[] shape, AttributeProto attribute, String... inputs) {
            String out = name + "_output_0";
            NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(out);
            for (String in : inputs) n.addInput(in);
            if (attribute != null) n.addAttribute(attribute);
            g.addNode(n);
            g.addValueInfo(ValueInfoProto.newBuilder().setName(out).setType(floatType(shape)));
            return out;
        }

        /** A float initializer of small distinct values (discovery reads shapes and names, not values). */
        String weight(String name, long... dims) {
            TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
            long count = 1;
            for (long d : dims) {
                t.addDims(d);
                count *= d;
            }
            for (long i = 0; i < count; i++) t.addFloatData(0.01f * (i + 1));
            g.addInitializer(t);
            return name;
        }
    }

    /** An INT attribute (onnx-io's test graphs build theirs with it too). */
    public static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    /** An INTS attribute. */
    public static AttributeProto intsAttr(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) a.addInts(v);
        return a.build();
    }

    private static TypeProto floatType(long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s)).build();
    }

    private static ModelProto model(GraphProto.Builder g) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("rba-synthetic")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g).build();
    }
}
