package dev.rba.onnx.blocks;

import dev.rba.onnx.ir.Graph;
import dev.rba.onnx.ir.Node;
import dev.rba.onnx.ir.Use;
import dev.rba.onnx.ir.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values that lie on every data-flow path from one graph input (the source) to the graph outputs: the cut points
 * of the residual stream. Side inputs such as an attention mask are not sources, so the edges they add into every
 * block do not hide these points.
 *
 * <p>Only vertices on some source-to-output path count (reachable from the source and reaching an output). In a
 * topological order of those, a vertex lies on every path exactly when no edge jumps over it: any path that avoids
 * it must step from before it to after it. So one sweep over the edges with a difference array finds all cut points
 * in O(nodes + edges), which keeps discovery linear on ViT-L sized graphs.
 */
final class ResidualCuts {
    final Value source;
    /** Cut points in data-flow order; the first is the source. */
    final List<Value> cuts;
    /** segments.get(i): the on-path nodes between cuts.get(i) and cuts.get(i + 1), in graph order. */
    final List<List<Node>> segments;

    private ResidualCuts(Value source, List<Value> cuts, List<List<Node>> segments) {
        this.source = source;
        this.cuts = cuts;
        this.segments = segments;
    }

    static ResidualCuts find(Graph graph, DataFlowValues flow, Value source) {
        List<Node> nodes = graph.nodes();
        int n = nodes.size();
        Map<Node, Integer> nodeIndex = new IdentityHashMap<>(n * 2);
        for (int i = 0; i < n; i++) nodeIndex.put(nodes.get(i), i);

        // Forward: what the source reaches through data values.
        Set<Value> reachedValues = identitySet();
        reachedValues.add(source);
        boolean[] reachedNodes = new boolean[n];
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            if (!readsAny(node, reachedValues, flow)) continue;
            reachedNodes[i] = true;
            for (Value out : node.outputs()) if (flow.isData(out)) reachedValues.add(out);
        }
        Set<Value> sinks = identitySet();
        for (Value out : graph.outputs()) if (reachedValues.contains(out)) sinks.add(out);

        // Backward: what reaches a sink; restricted to the forward set, that is the on-path subgraph.
        Set<Value> onPathValues = identitySet();
        boolean[] onPathNodes = new boolean[n];
        for (int i = n - 1; i >= 0; i--) {
            if (!reachedNodes[i]) continue;
            Node node = nodes.get(i);
            for (Value out : node.outputs()) {
                if (!reachedValues.contains(out)) continue;
                boolean leadsOn = sinks.contains(out);
                for (Use u : out.uses()) {
                    Integer c = nodeIndex.get(u.node());
                    if (c != null && onPathNodes[c]) leadsOn = true;
                }
                if (leadsOn) {
                    onPathValues.add(out);
                    onPathNodes[i] = true;
                }
            }
        }
        if (sinks.contains(source) || source.uses().stream().anyMatch(u -> isOnPath(u.node(), nodeIndex, onPathNodes))) {
            onPathValues.add(source);
        }
        if (!onPathValues.contains(source)) return new ResidualCuts(source, List.of(source), List.of());

        // Positions: source 0, then each on-path node followed by its on-path outputs; END is a virtual sink.
        Map<Value, Integer> valuePos = new IdentityHashMap<>();
        int[] nodePos = new int[n];
        List<Object> atPos = new ArrayList<>();
        valuePos.put(source, 0);
        atPos.add(source);
        for (int i = 0; i < n; i++) {
            if (!onPathNodes[i]) continue;
            nodePos[i] = atPos.size();
            atPos.add(nodes.get(i));
            for (Value out : nodes.get(i).outputs()) {
                if (onPathValues.contains(out)) {
                    valuePos.put(out, atPos.size());
                    atPos.add(out);
                }
            }
        }
        int end = atPos.size();
        int[] cover = new int[end + 2];
        for (int i = 0; i < n; i++) {
            if (!onPathNodes[i]) continue;
            Node node = nodes.get(i);
            for (Value in : node.inputs()) jump(cover, valuePos.get(in), nodePos[i]);
            for (Value in : node.implicitInputs()) jump(cover, valuePos.get(in), nodePos[i]);
            for (Value out : node.outputs()) jump(cover, nodePos[i], valuePos.get(out));
        }
        for (Value s : sinks) jump(cover, valuePos.get(s), end);

        List<Value> cuts = new ArrayList<>();
        List<List<Node>> segments = new ArrayList<>();
        List<Node> current = new ArrayList<>();
        int running = 0;
        for (int p = 0; p < end; p++) {
            running += cover[p];
            Object at = atPos.get(p);
            if (at instanceof Node node) {
                current.add(node);
            } else if (running == 0) {
                if (p > 0) {
                    segments.add(current);
                    current = new ArrayList<>();
                }
                cuts.add((Value) at);
            }
        }
        return new ResidualCuts(source, Collections.unmodifiableList(cuts), Collections.unmodifiableList(segments));
    }

    /** Marks the open interval (from, to) as jumped over; a null end is a value off the path (not an edge here). */
    private static void jump(int[] cover, Integer from, Integer to) {
        if (from == null || to == null || to - from < 2) return;
        cover[from + 1]++;
        cover[to]--;
    }

    private static boolean readsAny(Node node, Set<Value> values, DataFlowValues flow) {
        for (Value in : node.inputs()) if (in != null && flow.isData(in) && values.contains(in)) return true;
        for (Value in : node.implicitInputs()) if (flow.isData(in) && values.contains(in)) return true;
        return false;
    }

    private static boolean isOnPath(Node node, Map<Node, Integer> nodeIndex, boolean[] onPath) {
        Integer i = nodeIndex.get(node);
        return i != null && onPath[i];
    }

    /** Op-type signature of each segment (sorted multiset), as small integers: equal ids mean equal signatures. */
    int[] signatures() {
        Map<String, Integer> ids = new java.util.HashMap<>();
        int[] out = new int[segments.size()];
        for (int i = 0; i < out.length; i++) {
            List<String> ops = new ArrayList<>();
            for (Node node : segments.get(i)) {
                String d = node.domain();
                ops.add(d.isEmpty() || d.equals("ai.onnx") ? node.opType() : d + "::" + node.opType());
            }
            Collections.sort(ops);
            out[i] = ids.computeIfAbsent(String.join(",", ops), k -> ids.size());
        }
        return out;
    }

    /** Whether each segment holds a matrix product (MatMul, Gemm, Conv, Einsum): transformer blocks always do. */
    boolean[] computes() {
        boolean[] out = new boolean[segments.size()];
        for (int i = 0; i < out.length; i++) {
            for (Node node : segments.get(i)) {
                if (Macs.counts(node) || node.isStandardOp("Einsum")) out[i] = true;
            }
        }
        return out;
    }

    /**
     * The same stream with the segments between cut points {@code from[i]} and {@code to[i]} taken out (and the cut
     * points strictly inside): what the stream looked like before rba replaced those spans, minus the blocks.
     */
    ResidualCuts without(int[] from, int[] to) {
        List<Value> c = new ArrayList<>();
        List<List<Node>> seg = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < cuts.size(); ) {
            c.add(cuts.get(i));
            if (i >= segments.size()) break;
            // cut from[k] is followed directly by the segment that leaves cut to[k]
            int next = k < from.length && i == from[k] ? to[k++] : i;
            if (next >= segments.size()) break;
            seg.add(segments.get(next));
            i = next + 1;
        }
        return new ResidualCuts(source, c, seg);
    }

    static <T> Set<T> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }
}
