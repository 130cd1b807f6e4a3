package dev.rba.onnx.blocks;
import dev.rba.onnx.api.BlockDiscoveryException;

import dev.rba.onnx.ir.Graph;
import dev.rba.onnx.ir.Node;
import dev.rba.onnx.ir.Use;
import dev.rba.onnx.ir.Value;
import dev.rba.onnx.io.TensorShapes;
import dev.rba.onnx.proto.OnnxProto.TensorProto.DataType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which nodes belong to which block, given the boundary tensors h_0..h_L.
 *
 * <p>Block k's core is every node on a data path from h_k to h_{k+1} (reached forward from h_k without passing
 * h_{k+1}, and backward from h_{k+1} without passing h_k). Nodes that only make constants or shape values (Constant
 * nodes, Shape/Gather/Concat feeding a Reshape) join block k when everything they feed is in block k; what feeds
 * several blocks (an attention mask computed once) belongs to none.
 *
 * <p>Parameters of block k are the floating-point initializers (of more than one element) that its nodes read, directly
 * or through Identity nodes. A tensor read by several blocks counts in each: torch's exporter merges equal-valued
 * parameters of different blocks into one initializer, and the count should still match the torch module's.
 */
final class BlockMembership {
    /** Node -> block index; nodes outside every block are absent. */
    final Map<Node, Integer> blockOf = new IdentityHashMap<>();
    final List<List<Node>> nodesOfBlock = new ArrayList<>();
    final long[] parameters;
    /** Parameter tensors read by more than one block (tied weights, or equal tensors the exporter deduplicated). */
    int sharedParameterTensors;

    private BlockMembership(int blocks) {
        this.parameters = new long[blocks];
    }

    static BlockMembership assign(Graph graph, DataFlowValues flow, List<Value> boundaries) {
        int blocks = boundaries.size() - 1;
        BlockMembership m = new BlockMembership(blocks);
        for (int k = 0; k < blocks; k++) {
            Value from = boundaries.get(k);
            Value to = boundaries.get(k + 1);
            Set<Node> forward = forward(from, to, flow);
            Set<Node> core = backward(to, from, flow, forward);
            if (!core.contains(to.producer())) {
                throw new BlockDiscoveryException("boundary tensor '" + to.name() + "' (h_" + (k + 1)
                        + ") is not computed from '" + from.name() + "' (h_" + k + "); give the boundaries in data-flow order");
            }
            for (Node n : core) {
                Integer earlier = m.blockOf.put(n, k);
                if (earlier != null) {
                    throw new BlockDiscoveryException("node '" + n.name() + "' (" + n.opType() + ") lies between h_" + earlier
                            + " and h_" + (earlier + 1) + " and also between h_" + k + " and h_" + (k + 1)
                            + "; boundary tensors must cut the residual stream (each must lie on every path)");
                }
            }
        }
        List<Node> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (m.blockOf.containsKey(n) || producesData(n, flow)) continue;
            int only = onlyConsumerBlock(graph, n, m.blockOf);
            if (only >= 0) m.blockOf.put(n, only);
        }
        for (int k = 0; k < blocks; k++) m.nodesOfBlock.add(new ArrayList<>());
        for (Node n : nodes) {
            Integer k = m.blockOf.get(n);
            if (k != null) m.nodesOfBlock.get(k).add(n);
        }
        Map<Value, Integer> readers = new IdentityHashMap<>();
        for (int k = 0; k < blocks; k++) {
            Set<Value> read = ResidualCuts.identitySet();
            for (Node n : m.nodesOfBlock.get(k)) {
                if (n.isStandardOp("Identity")) continue;       // an alias: its readers count the tensor
                for (Value in : n.inputs()) {
                    // Distinct by the value read: two Identity copies of one merged tensor are two torch parameters.
                    Value w = throughIdentity(in);
                    if (w != null && isParameter(w) && read.add(in)) {
                        m.parameters[k] += TensorShapes.elementCount(w.initializer());
                        readers.merge(w, 1, Integer::sum);
                    }
                }
            }
        }
        for (int count : readers.values()) if (count > 1) m.sharedParameterTensors++;
        return m;
    }

    /**
     * The initializer behind {@code v}, looking through Identity nodes: torch's exporter replaces equal-valued
     * parameters (freshly initialised LayerNorm weights, zero biases) by Identity nodes of one of them.
     */
    private static Value throughIdentity(Value v) {
        while (v != null && !v.isInitializer() && v.producer() != null && v.producer().isStandardOp("Identity")) {
            v = v.producer().input(0);
        }
        return v != null && v.isInitializer() ? v : null;
    }

    /** Floating-point tensors of more than one element: weights, not folded scalars or shape constants. */
    private static boolean isParameter(Value init) {
        int t = init.initializer().getDataType();
        boolean floating = t == DataType.FLOAT_VALUE || t == DataType.FLOAT16_VALUE || t == DataType.BFLOAT16_VALUE
                || t == DataType.DOUBLE_VALUE;
        return floating && TensorShapes.elementCount(init.initializer()) > 1;
    }

    /** Nodes reading data that comes from {@code from}, not going past {@code stop}. */
    private static Set<Node> forward(Value from, Value stop, DataFlowValues flow) {
        Set<Node> seen = ResidualCuts.identitySet();
        ArrayDeque<Value> work = new ArrayDeque<>();
        work.add(from);
        while (!work.isEmpty()) {
            Value v = work.poll();
            for (Use u : v.uses()) {
                if (!seen.add(u.node())) continue;
                for (Value out : u.node().outputs()) if (out != stop && flow.isData(out)) work.add(out);
            }
        }
        return seen;
    }

    /** Nodes of {@code within} that {@code to} depends on through data, not going past {@code stop}. */
    private static Set<Node> backward(Value to, Value stop, DataFlowValues flow, Set<Node> within) {
        Set<Node> seen = ResidualCuts.identitySet();
        ArrayDeque<Node> work = new ArrayDeque<>();
        if (to.producer() != null && within.contains(to.producer())) work.add(to.producer());
        while (!work.isEmpty()) {
            Node n = work.poll();
            if (!seen.add(n)) continue;
            for (Value in : n.inputs()) {
                if (in == null || in == stop || !flow.isData(in)) continue;
                Node p = in.producer();
                if (p != null && within.contains(p) && !seen.contains(p)) work.add(p);
            }
        }
        return seen;
    }

    /** Nodes that make activations (embeddings before h_0, a shared mask) never join a block by their consumers. */
    private static boolean producesData(Node n, DataFlowValues flow) {
        for (Value out : n.outputs()) if (flow.isData(out)) return true;
        return false;
    }

    /** The one block that consumes every output of {@code n}, or -1 (unused, graph output, or several/no blocks). */
    private static int onlyConsumerBlock(Graph graph, Node n, Map<Node, Integer> blockOf) {
        int only = -1;
        for (Value out : n.outputs()) {
            if (graph.isGraphOutput(out)) return -1;
            for (Use u : out.uses()) {
                Integer k = blockOf.get(u.node());
                if (k == null || (only >= 0 && k != only)) return -1;
                only = k;
            }
        }
        return only;
    }
}
