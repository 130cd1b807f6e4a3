package dev.rba.onnx.testmodels;

import com.google.protobuf.ByteString;
import dev.rba.onnx.ir.Types;
import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.rba.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;
import dev.rba.onnx.rewrite.TensorEncoding;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.rba.onnx.blocks.SyntheticGraphs.intAttr;
import static dev.rba.onnx.blocks.SyntheticGraphs.intsAttr;

/**
 * Small residual "transformers" written as ONNX protos, shaped like a torch export (no value_info for internal
 * tensors): x [batch, T, in] -> h_0 = x·W_in -> blocks -> mean over tokens -> logits [batch, classes].
 * A block is one of: LINEAR h + h·W; AFFINE h + h·W + b; NONLINEAR h + Relu(h·A)·B. Because linear and affine blocks
 * are exactly linear maps, the exact T (and bias) of a span of them is known in closed form: {@link #exactT}.
 */
public final class ResidualModels {
    public enum Block { LINEAR, AFFINE, NONLINEAR }

    public static final int TOKENS = 5;
    public static final int IN = 6;
    public static final int CLASSES = 3;

    /** A built model, its boundary tensor names h_0..h_L and the weights of each block. */
    public record Built(ModelProto proto, List<String> boundaries, int d, List<Block> blocks, List<float[]> w, List<float[]> b,
                        long[] blockParameters) {
    }

    private ResidualModels() {
    }

    /** A float32 model (opset 17), or with {@code fp16} a model computing in float16 between Casts from/to float. */
    public static Built build(int d, List<Block> blocks, long seed, boolean fp16) {
        Random rnd = new Random(seed);
        int elem = fp16 ? TensorProto.DataType.FLOAT16_VALUE : TensorProto.DataType.FLOAT_VALUE;
        GraphProto.Builder g = GraphProto.newBuilder().setName("residual");
        g.addInput(info("x", TensorProto.DataType.FLOAT_VALUE, "batch", (long) TOKENS, (long) IN));
        g.addOutput(info("logits", TensorProto.DataType.FLOAT_VALUE, "batch", (long) CLASSES));
        String x = "x";
        if (fp16) {
            g.addNode(node("cast_in", "Cast", List.of("x"), "x16", intAttr("to", elem)));
            x = "x16";
        }
        g.addInitializer(tensor("W_in", elem, random(rnd, IN * d, 1.0 / Math.sqrt(IN)), IN, d));
        g.addNode(node("embed", "MatMul", List.of(x, "W_in"), "h0"));
        List<String> hs = new ArrayList<>(List.of("h0"));
        List<float[]> ws = new ArrayList<>();
        List<float[]> bs = new ArrayList<>();
        long[] params = new long[blocks.size()];
        for (int k = 0; k < blocks.size(); k++) {
            String h = hs.get(k);
            String p = "blocks." + k + ".";
            String out = "/blocks." + k + "/residual_output";
            float scale = (float) (0.4 / Math.sqrt(d));
            switch (blocks.get(k)) {
                case LINEAR, AFFINE -> {
                    float[] w = random(rnd, d * d, scale);
                    g.addInitializer(tensor(p + "W", elem, w, d, d));
                    g.addNode(node(p + "mm", "MatMul", List.of(h, p + "W"), p + "branch"));
                    ws.add(w);
                    params[k] = (long) d * d;
                    if (blocks.get(k) == Block.AFFINE) {
                        float[] b = random(rnd, d, 0.3);
                        g.addInitializer(tensor(p + "b", elem, b, d));
                        g.addNode(node(p + "bias", "Add", List.of(p + "branch", p + "b"), p + "branch_b"));
                        g.addNode(node(p + "res", "Add", List.of(h, p + "branch_b"), out));
                        bs.add(b);
                        params[k] += d;
                    } else {
                        g.addNode(node(p + "res", "Add", List.of(h, p + "branch"), out));
                        bs.add(null);
                    }
                }
                case NONLINEAR -> {
                    g.addInitializer(tensor(p + "A", elem, random(rnd, d * d, 2.0 / Math.sqrt(d)), d, d));
                    g.addInitializer(tensor(p + "B", elem, random(rnd, d * d, scale), d, d));
                    g.addNode(node(p + "mm1", "MatMul", List.of(h, p + "A"), p + "a"));
                    g.addNode(node(p + "relu", "Relu", List.of(p + "a"), p + "r"));
                    g.addNode(node(p + "mm2", "MatMul", List.of(p + "r", p + "B"), p + "branch"));
                    g.addNode(node(p + "res", "Add", List.of(h, p + "branch"), out));
                    ws.add(null);
                    bs.add(null);
                    params[k] = 2L * d * d;
                }
            }
            hs.add(out);
        }
        g.addNode(node("pool", "ReduceMean", List.of(hs.getLast()), "pooled", intsAttr("axes", 1), intAttr("keepdims", 0)));
        g.addInitializer(tensor("head.W", elem, random(rnd, d * CLASSES, 1.0 / Math.sqrt(d)), d, CLASSES));
        if (fp16) {
            g.addNode(node("head", "MatMul", List.of("pooled", "head.W"), "logits16"));
            g.addNode(node("cast_out", "Cast", List.of("logits16"), "logits", intAttr("to", TensorProto.DataType.FLOAT_VALUE)));
        } else {
            g.addNode(node("head", "MatMul", List.of("pooled", "head.W"), "logits"));
        }
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).setProducerName("rba-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("origin").setValue("ResidualModels"))
                .setGraph(g).build();
        return new Built(m, hs, d, List.copyOf(blocks), ws, bs, params);
    }

    /**
     * The exact map of blocks i..j (all LINEAR or AFFINE): h_{j+1} = h_i·T + c with T = Π(I + W_k) in row-vector
     * convention and c accumulated as c ← c(I + W_k) + b_k. Returns {T (d*d row-major), c (d) or null when no block
     * has a bias}. Computed in double.
     */
    public static float[][] exactT(Built m, int i, int j) {
        int d = m.d();
        double[] t = identity(d);
        double[] c = new double[d];
        boolean anyBias = false;
        for (int k = i; k <= j; k++) {
            if (m.blocks().get(k) == Block.NONLINEAR) throw new IllegalArgumentException("block " + k + " is not linear");
            double[] step = identity(d);
            float[] w = m.w().get(k);
            for (int r = 0; r < d * d; r++) step[r] += w[r];
            t = multiply(t, step, d);
            c = multiplyRow(c, step, d);
            float[] b = m.b().get(k);
            if (b != null) {
                anyBias = true;
                for (int q = 0; q < d; q++) c[q] += b[q];
            }
        }
        float[] tf = new float[d * d];
        for (int r = 0; r < tf.length; r++) tf[r] = (float) t[r];
        float[] cf = null;
        if (anyBias) {
            cf = new float[d];
            for (int q = 0; q < d; q++) cf[q] = (float) c[q];
        }
        return new float[][] {tf, cf};
    }

    private static double[] identity(int d) {
        double[] a = new double[d * d];
        for (int i = 0; i < d; i++) a[i * d + i] = 1;
        return a;
    }

    private static double[] multiply(double[] a, double[] b, int d) {
        double[] c = new double[d * d];
        for (int i = 0; i < d; i++) for (int k = 0; k < d; k++) for (int j = 0; j < d; j++) c[i * d + j] += a[i * d + k] * b[k * d + j];
        return c;
    }

    private static double[] multiplyRow(double[] v, double[] b, int d) {
        double[] out = new double[d];
        for (int k = 0; k < d; k++) for (int j = 0; j < d; j++) out[j] += v[k] * b[k * d + j];
        return out;
    }

    /** Random inputs [n, TOKENS, IN]. */
    public static float[] inputs(int n, long seed) {
        return random(new Random(seed), n * TOKENS * IN, 1.0);
    }

    private static float[] random(Random rnd, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rnd.nextGaussian() * scale);
        return a;
    }

    static TensorProto tensor(String name, int elem, float[] values, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(elem);
        for (long dim : dims) t.addDims(dim);
        return t.setRawData(ByteString.copyFrom(TensorEncoding.encode(values, elem))).build();
    }

    static ValueInfoProto info(String name, int elem, Object... dims) {
        return ValueInfoProto.newBuilder().setName(name).setType(Types.tensor(elem, Types.shape(dims))).build();
    }

    static NodeProto node(String name, String op, List<String> in, String out, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(in).addOutput(out);
        for (AttributeProto a : attrs) n.addAttribute(a);
        return n.build();
    }
}
