package dev.rba.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.rba.onnx.proto.OnnxProto.AttributeProto;
import dev.rba.onnx.proto.OnnxProto.GraphProto;
import dev.rba.onnx.proto.OnnxProto.ModelProto;
import dev.rba.onnx.proto.OnnxProto.NodeProto;
import dev.rba.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.rba.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.rba.onnx.proto.OnnxProto.TensorProto;
import dev.rba.onnx.proto.OnnxProto.TensorShapeProto;
import dev.rba.onnx.proto.OnnxProto.TypeProto;
import dev.rba.onnx.proto.OnnxProto.ValueInfoProto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Turns seed models into broken ones, deterministically from a {@link Random}: byte-level damage (bit flips, random
 * bytes, truncation, deletion, insertion, splices of two files) and field-level edits of the parsed protobuf (names,
 * op types, dims, data types, raw data, node order, opsets, external-data entries, attributes, shapes). Byte damage
 * tests the parser; field edits reach the validator and block discovery with files that still parse.
 */
final class ModelMutator {
    /** Values a careless or hostile file might hold where a dim, an index or a count goes. */
    private static final long[] EDGE = {0, 1, -1, 2, 3, 7, 8, 64, 255, 256, 65_535, 1L << 31, (1L << 31) - 1, -(1L << 31),
            1L << 32, 1L << 40, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE};
    private static final String[] OPS = {"Add", "MatMul", "Identity", "LayerNormalization", "Softmax", "Reshape",
            "Transpose", "Gelu", "If", "Loop", "Frobnicate", "", "Constant", "Gemm", "Concat", "Gather", "Mul", "Where"};
    private static final String[] LOCATIONS = {"w.bin", "../w.bin", "/etc/passwd", "", "sub/w.bin", "./w.bin",
            "model.onnx", ".", "..", "a\u0000b"};

    private final Random r;

    ModelMutator(Random random) {
        this.r = random;
    }

    /** One to three mutations of {@code seed}, with {@code other} as the splice partner. */
    byte[] mutate(byte[] seed, ModelProto parsed, byte[] other) {
        int kind = r.nextInt(10);
        if (kind < 3) {
            byte[] b = seed;
            for (int i = 1 + r.nextInt(3); i > 0; i--) b = bytes(b, other);
            return b;
        }
        ModelProto.Builder m = parsed.toBuilder();
        for (int i = 1 + r.nextInt(3); i > 0; i--) field(m);
        byte[] out = m.build().toByteArray();
        return r.nextInt(8) == 0 ? bytes(out, other) : out;
    }

    private byte[] bytes(byte[] in, byte[] other) {
        if (in.length == 0) return new byte[] {(byte) r.nextInt(256)};
        byte[] b = in.clone();
        switch (r.nextInt(6)) {
            case 0 -> {
                for (int i = 1 + r.nextInt(8); i > 0; i--) {
                    int at = r.nextInt(b.length);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> {
                for (int i = 1 + r.nextInt(8); i > 0; i--) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length));
            case 3 -> {
                int from = r.nextInt(b.length);
                int len = Math.min(b.length - from, 1 + r.nextInt(64));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, from);
                System.arraycopy(b, from + len, out, from, b.length - from - len);
                b = out;
            }
            case 4 -> {
                int at = r.nextInt(b.length + 1);
                byte[] ins = new byte[1 + r.nextInt(16)];
                r.nextBytes(ins);
                byte[] out = new byte[b.length + ins.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(ins, 0, out, at, ins.length);
                System.arraycopy(b, at, out, at + ins.length, b.length - at);
                b = out;
            }
            default -> {
                int cutA = r.nextInt(b.length);
                int cutB = r.nextInt(other.length);
                byte[] out = new byte[cutA + other.length - cutB];
                System.arraycopy(b, 0, out, 0, cutA);
                System.arraycopy(other, cutB, out, cutA, other.length - cutB);
                b = out;
            }
        }
        return b;
    }

    private long edge() {
        return r.nextInt(3) == 0 ? r.nextLong() : EDGE[r.nextInt(EDGE.length)];
    }

    private void field(ModelProto.Builder m) {
        GraphProto.Builder g = m.getGraphBuilder();
        int nodes = g.getNodeCount();
        int inits = g.getInitializerCount();
        switch (r.nextInt(17)) {
            case 0 -> { // a node reads another name: an existing one (maybe creating a cycle) or a new one
                if (nodes == 0) return;
                NodeProto.Builder n = g.getNodeBuilder(r.nextInt(nodes));
                if (n.getInputCount() == 0) return;
                n.setInput(r.nextInt(n.getInputCount()), r.nextBoolean() ? anyName(g) : "missing_" + r.nextInt(100));
            }
            case 1 -> { // a node's output renamed (duplicate definitions, dangling uses)
                if (nodes == 0) return;
                NodeProto.Builder n = g.getNodeBuilder(r.nextInt(nodes));
                if (n.getOutputCount() == 0) return;
                n.setOutput(r.nextInt(n.getOutputCount()), r.nextBoolean() ? anyName(g) : "");
            }
            case 2 -> { // op type, or domain
                if (nodes == 0) return;
                NodeProto.Builder n = g.getNodeBuilder(r.nextInt(nodes));
                if (r.nextInt(4) == 0) n.setDomain(r.nextBoolean() ? "com.microsoft" : "x.custom");
                else n.setOpType(OPS[r.nextInt(OPS.length)]);
            }
            case 3 -> { // dims of an initializer
                if (inits == 0) return;
                TensorProto.Builder t = g.getInitializerBuilder(r.nextInt(inits));
                if (t.getDimsCount() > 0 && r.nextBoolean()) t.setDims(r.nextInt(t.getDimsCount()), edge());
                else t.addDims(edge());
            }
            case 4 -> { // data type
                if (inits == 0) return;
                g.getInitializerBuilder(r.nextInt(inits)).setDataType(r.nextBoolean() ? r.nextInt(30) : (int) edge());
            }
            case 5 -> { // raw data cut or grown
                if (inits == 0) return;
                TensorProto.Builder t = g.getInitializerBuilder(r.nextInt(inits));
                ByteString raw = t.getRawData();
                t.setRawData(r.nextBoolean() && !raw.isEmpty() ? raw.substring(0, r.nextInt(raw.size()))
                        : raw.concat(ByteString.copyFrom(new byte[1 + r.nextInt(8)])));
            }
            case 6 -> { // node order: two nodes swapped
                if (nodes < 2) return;
                int a = r.nextInt(nodes);
                int b = r.nextInt(nodes);
                NodeProto na = g.getNode(a);
                g.setNode(a, g.getNode(b)).setNode(b, na);
            }
            case 7 -> { // remove or duplicate a node
                if (nodes == 0) return;
                int i = r.nextInt(nodes);
                if (r.nextBoolean()) g.removeNode(i);
                else g.addNode(g.getNode(i));
            }
            case 8 -> { // remove an initializer, or list one as a graph input
                if (inits == 0) return;
                int i = r.nextInt(inits);
                if (r.nextBoolean()) g.removeInitializer(i);
                else g.addInput(ValueInfoProto.newBuilder().setName(g.getInitializer(i).getName()));
            }
            case 9 -> { // opsets
                if (m.getOpsetImportCount() == 0 || r.nextInt(5) == 0) {
                    m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(r.nextBoolean() ? "" : "ai.onnx").setVersion(edge()));
                } else if (r.nextBoolean()) {
                    m.setOpsetImport(0, m.getOpsetImport(0).toBuilder().setVersion(r.nextBoolean() ? r.nextInt(30) : edge()));
                } else {
                    m.removeOpsetImport(r.nextInt(m.getOpsetImportCount()));
                }
            }
            case 10 -> { // external data entries
                if (inits == 0) return;
                TensorProto.Builder t = g.getInitializerBuilder(r.nextInt(inits));
                t.setDataLocation(TensorProto.DataLocation.EXTERNAL);
                if (r.nextBoolean()) t.clearRawData();
                t.addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(LOCATIONS[r.nextInt(LOCATIONS.length)]));
                if (r.nextBoolean()) t.addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(edge())));
                if (r.nextBoolean()) t.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Long.toString(edge())));
            }
            case 11 -> { // an integer attribute
                if (nodes == 0) return;
                NodeProto.Builder n = g.getNodeBuilder(r.nextInt(nodes));
                if (n.getAttributeCount() == 0) return;
                AttributeProto.Builder a = n.getAttributeBuilder(r.nextInt(n.getAttributeCount()));
                if (a.getIntsCount() > 0) a.setInts(r.nextInt(a.getIntsCount()), edge());
                else a.setI(edge());
            }
            case 12 -> { // a graph input's shape or element type
                if (g.getInputCount() == 0) return;
                ValueInfoProto.Builder v = g.getInputBuilder(r.nextInt(g.getInputCount()));
                TypeProto.Tensor.Builder tt = v.getTypeBuilder().getTensorTypeBuilder();
                if (r.nextBoolean()) {
                    tt.setElemType(r.nextBoolean() ? r.nextInt(30) : (int) edge());
                } else {
                    TensorShapeProto.Builder s = tt.getShapeBuilder();
                    if (s.getDimCount() > 0 && r.nextBoolean()) s.getDimBuilder(r.nextInt(s.getDimCount())).setDimValue(edge());
                    else s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(edge()));
                }
            }
            case 13 -> { // graph outputs: dropped, renamed or added
                if (g.getOutputCount() > 0 && r.nextBoolean()) g.removeOutput(r.nextInt(g.getOutputCount()));
                else g.addOutput(ValueInfoProto.newBuilder().setName(r.nextBoolean() ? anyName(g) : "ghost"));
            }
            case 14 -> { // graph inputs removed
                if (g.getInputCount() > 0) g.removeInput(r.nextInt(g.getInputCount()));
            }
            case 15 -> { // a subgraph: an If whose branch reads a name from the enclosing graph
                GraphProto branch = GraphProto.newBuilder().setName("branch")
                        .addNode(NodeProto.newBuilder().setOpType("Identity").addInput(anyName(g)).addOutput("branch_out"))
                        .addOutput(ValueInfoProto.newBuilder().setName("branch_out")).build();
                g.addNode(NodeProto.newBuilder().setOpType("If").setName("if_" + r.nextInt(100)).addInput(anyName(g))
                        .addOutput("if_out_" + r.nextInt(100))
                        .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH).setG(branch))
                        .addAttribute(AttributeProto.newBuilder().setName("else_branch").setType(AttributeProto.AttributeType.GRAPH).setG(branch)));
            }
            default -> { // ir_version
                m.setIrVersion(r.nextBoolean() ? r.nextInt(12) : edge());
            }
        }
    }

    /** A name the graph already uses: an input, an initializer or a node output. */
    private String anyName(GraphProto.Builder g) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < g.getInputCount(); i++) names.add(g.getInput(i).getName());
        for (int i = 0; i < Math.min(8, g.getInitializerCount()); i++) names.add(g.getInitializer(r.nextInt(g.getInitializerCount())).getName());
        for (int i = 0; i < Math.min(16, g.getNodeCount()); i++) {
            NodeProto n = g.getNode(r.nextInt(g.getNodeCount()));
            if (n.getOutputCount() > 0) names.add(n.getOutput(0));
        }
        return names.isEmpty() ? "x" : names.get(r.nextInt(names.size()));
    }

    static ModelProto parse(byte[] seed) {
        try {
            return ModelProto.parseFrom(seed);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("seed is not an ONNX model: " + e.getMessage(), e);
        }
    }
}
